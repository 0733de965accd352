"""`python -m hingecoach.adapters.pose_check`: verify the installed pose model files (make install)."""

from __future__ import annotations

import sys

from hingecoach.adapters.pose import verify_models
from hingecoach.errors import HingeError


def main() -> int:
    try:
        sums = verify_models()
    except HingeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for name, digest in sums.items():
        print(f"pose model ok: {name} sha256 {digest[:16]}...")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

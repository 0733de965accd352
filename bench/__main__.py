"""`make bench`: every benchmark, or the ones named (`python -m bench engine cli`).

Each reports figures and ratios measured in its own run; none passes or fails.
"""

from __future__ import annotations

import importlib
import sys

ALL = ("engine", "cli", "api", "vision", "form_check")


def main(names: list[str]) -> None:
    for name in names or ALL:
        if name not in ALL:
            sys.exit(f"unknown benchmark {name!r}: choose from {', '.join(ALL)}")
        importlib.import_module(f"bench.{name}").main()
        print()


if __name__ == "__main__":
    main(sys.argv[1:])

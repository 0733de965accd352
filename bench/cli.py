"""CLI benchmark: how long `hinge today` takes, start to answer, as a whole process.

Measured against `python -c pass` (the interpreter alone) in the same run, on a database
with a learner. Target (issue 9): under 0.5 s. The vision stack (scipy, MediaPipe, OpenCV)
must stay out of commands that do not analyse video: see `python -X importtime -m
hingecoach today` when this grows. The installed command loads only the module of the
command it runs, with the garbage collector held off and then frozen (cli/entry.py); `make
install` writes the bytecode of our own modules ahead, as a regular install would (run `make
install` after changing the source, or each command compiles what changed again).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 7


def _seconds(command: list[str], env: dict[str, str]) -> float:
    times = []
    for _ in range(RUNS + 1):  # the first run warms the disk cache and is not counted
        t0 = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times[1:])


def main() -> None:
    hinge = str(Path(sys.executable).parent / "hinge")
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, HINGE_DATA_DIR=folder)
        start = [hinge, "start", "--name", "Sam", "--experience", "new", "--pain", "2", "--none"]
        subprocess.run(start, env=env, check=True, capture_output=True)
        python = _seconds([sys.executable, "-c", "pass"], env)
        today = _seconds([hinge, "today"], env)
    verdict = "met" if today < 0.5 else "NOT met"
    print(f"CLI start to answer, median of {RUNS} runs (ratios from this run)")
    print(f"  python -c pass   {python:6.3f} s")
    print(f"  hinge today      {today:6.3f} s  x{today / python:5.1f} the bare interpreter")
    print(f"  target under 0.5 s: {verdict}")


if __name__ == "__main__":
    main()

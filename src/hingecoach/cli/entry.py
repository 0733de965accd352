"""The `hinge` command's entry point: the CLI, loaded with the garbage collector held off.

Loading the CLI makes a few hundred thousand objects that live as long as the process
(modules, the ORM's mappings, the models of the catalog and the answers). With the collector
on, it walks them again and again while they are being made, which was about a fifth of
`hinge today`'s 0.56 s (bench/cli.py). So it waits until they are loaded, and they are then
moved out of its sight (`gc.freeze`), as each server process does (web/main.py). Nothing is
leaked: what the command makes afterwards is collected as usual. Only this module does it;
importing `hingecoach.cli` (tests, tools) leaves the collector alone.
"""

from __future__ import annotations

import gc

__all__ = ["main"]

gc.disable()
try:
    from hingecoach.cli import main as _cli
finally:
    gc.freeze()
    gc.enable()


def main() -> None:
    _cli()

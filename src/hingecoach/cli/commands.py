"""Every `hinge` command, registered on the one Typer app (what `hinge --help` lists, and
what the tests drive through Typer's runner)."""

from hingecoach.cli import ladders, log, outcomes, programme, server, timer, video, worker
from hingecoach.cli.app import app, main

__all__ = [
    "app",
    "ladders",
    "log",
    "main",
    "outcomes",
    "programme",
    "server",
    "timer",
    "video",
    "worker",
]

"""`hinge timer`: the interval timer in a terminal, playing the engine's schedule."""

from __future__ import annotations

import sys
import time
from typing import Annotated

import typer
from rich.live import Live

from hingecoach.cli.app import app, coach, guarded, out
from hingecoach.cli.render import timer_panel
from hingecoach.engine.timer import Phase, schedule
from hingecoach.errors import ValidationError

__all__ = ["timer"]


@app.command()
@guarded
def timer(
    sets: Annotated[int | None, typer.Option(help="Sets (default: today's prescription).")] = None,
    work: Annotated[int | None, typer.Option(help="Seconds of work per set.")] = None,
    rest: Annotated[int | None, typer.Option(help="Seconds of rest between sets.")] = None,
    ready: Annotated[int, typer.Option(help="Get-ready countdown in seconds.")] = 5,
    quiet: Annotated[bool, typer.Option(help="No terminal bell.")] = False,
) -> None:
    """Interval timer in the terminal: get ready, work, rest, with a cue each set. Ctrl-C stops."""
    cues: tuple[str, ...] = ()
    if sets is None or work is None or rest is None:
        view = coach().today_view()
        rx = view.prescription
        if rx is None:
            raise ValidationError(
                "timer", "a programme that is not stopped", "stopped by the safety screen"
            )
        sets = sets if sets is not None else rx.sets
        work = work if work is not None else rx.work_seconds
        rest = rest if rest is not None else rx.rest_seconds
        cues = view.rungs[rx.rung].cues
    phases = schedule(sets, work, rest, ready, cues)
    try:
        _play(phases, quiet)
    except KeyboardInterrupt:
        out.print("\n[yellow]Timer stopped.[/] Log what you did with `hinge log`.")
        raise typer.Exit(0) from None


def _play(phases: tuple[Phase, ...], quiet: bool) -> None:
    bell = "" if quiet else "\a"
    with Live(console=out, refresh_per_second=4, transient=False) as live:
        for phase in phases:
            end = time.monotonic() + phase.seconds
            sys.stdout.write(bell)
            while (left := end - time.monotonic()) > 0:
                live.update(timer_panel(phase, int(left + 0.999)))
                time.sleep(min(0.25, left))
            live.update(timer_panel(phase, 0))
    out.print(f"{bell}[bold green]Done.[/] Now log it: `hinge log`.")

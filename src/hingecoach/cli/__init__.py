"""`hinge`: every feature from a terminal. Each command parses its options, calls one
service, and answers with its public shape as JSON (`--json`) or drawn with Rich.

Commands by topic: ladders (the catalog), programme (start, screen, today, status, history,
clear, guide), log (log, checkin), timer, video (analyze; imported lazily by `log --video`),
outcomes (questionnaire), server (serve, admin, db), worker (form-check jobs). `app.py` holds what they share.
"""

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

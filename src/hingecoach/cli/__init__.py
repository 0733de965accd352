"""`hinge`: every feature from a terminal. Each command parses its options, calls one
service, and answers with its public shape as JSON (`--json`) or drawn with Rich.

Commands by topic: ladders (the catalog), programme (start, screen, today, status, history,
clear, guide), log (log, checkin), timer, video (analyze; imported lazily by `log --video`),
outcomes (questionnaire), server (serve, admin, db), worker (form-check jobs). `app.py` holds
what they share; `commands.py` registers them all; `entry.py` is the installed command, which
loads only the module of the command it runs.
"""

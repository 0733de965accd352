"""`hinge questionnaire`: the outcome questionnaires from a terminal."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from hingecoach.cli.app import JsonOpt, answer, app, coach, guarded, out
from hingecoach.errors import ValidationError
from hingecoach.schemas.outcomes import AnsweredPublic, OutcomesPublic
from hingecoach.services.inputs import AnswerInput

__all__ = ["questionnaire"]


def _value(raw: str) -> int | None:
    word = raw.strip().lower()
    if word in ("", "-", "skip"):
        return None
    if word in ("yes", "y", "agree"):
        return 1
    if word in ("no", "n", "disagree"):
        return 0
    try:
        return int(word)
    except ValueError:
        raise ValidationError("--answers", "numbers, yes/no or agree/disagree", raw) from None


def _activity(raw: str) -> tuple[str, int]:
    name, _, score = raw.rpartition("=")
    if not name.strip() or not score.strip().isdigit():
        raise ValidationError("--activity", "NAME=SCORE, the score 0-10", raw)
    return name.strip(), int(score)


@app.command()
@guarded
def questionnaire(
    measure: Annotated[
        str | None, typer.Argument(help="nprs, odi, rmdq, psfs or start-back; none: what is due")
    ] = None,
    answers: Annotated[
        list[str] | None,
        typer.Option(
            help="One answer per question in order, comma separated: numbers, yes/no, "
            "agree/disagree; '-' for an ODI section that does not apply."
        ),
    ] = None,
    activity: Annotated[
        list[str] | None, typer.Option(help="PSFS: NAME=SCORE (0-10), 3 to 5 times.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Outcome questionnaires: what is due and your scores, or fill one in."""
    the_coach = coach()
    if measure is None:
        shown = OutcomesPublic.of(the_coach.outcomes())
        answer(shown, as_json, lambda: _render_outcomes(shown))
        return
    pairs = [_activity(a) for a in activity or []]
    values = [_value(v) for a in answers or [] for v in a.split(",")]
    data = AnswerInput(
        measure, tuple(values), tuple(s for _, s in pairs), tuple(n for n, _ in pairs)
    )
    done = AnsweredPublic.of(the_coach.answer(data))
    answer(done, as_json, lambda: _render_answered(done))


def _render_outcomes(shown: OutcomesPublic) -> None:
    for d in shown.due:
        asked = f", asked by {escape(d.asked_by)}" if d.asked_by else ""
        out.print(f"[bold]Due:[/] {escape(d.name)} (`hinge questionnaire {d.measure}`{asked})")
    if not shown.due:
        out.print("Nothing is due.")
    for s in shown.series:
        out.print(f"[bold]{escape(s.name)}[/] ({escape(s.short)})")
        for p in s.points:
            score = p.shown
            change = f"  [green]{p.change_words}[/]" if p.important else ""
            out.print(f"  {p.day}  {escape(score)}{change}")


def _render_answered(done: AnsweredPublic) -> None:
    out.print(f"[green]Saved.[/] {escape(done.name)}: {escape(done.shown)}")
    if done.note:
        out.print(f"  {escape(done.note)}")
    if done.decision:
        out.print(
            "[yellow]Your answers mean a clinician should look at your plan: keep to the "
            "steps without weights until they have.[/]"
        )

"""The `hinge` command end to end, on a temporary SQLite database.

Most cases run in-process through Typer's CliRunner (fast); a handful run the real command
as a subprocess to check what only the entry point does: exit codes through `main()`,
a damaged database file, and that no stack trace ever reaches stderr. Standard input is
never a terminal here, so nothing is asked: a missing value is a usage error (exit 2).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from typer.testing import CliRunner

from hingecoach.adapters.db.store import _alembic_config
from hingecoach.cli import commands as cli
from hingecoach.errors import ValidationError
from hingecoach.services.coach import Coach
from hingecoach.settings import debug_enabled, load_settings
from tests.expected import SOLVING_PAIN_ORDER

TODAY = date(2026, 3, 2)
TOMORROW = (TODAY + timedelta(days=1)).isoformat()

START = ["start", "--name", "Ann", "--experience", "new", "--pain", "2", "--none"]
LOG = ["log", "--pain-before", "1", "--pain-during", "2", "--pain-after", "1", "--sets", "30s,30s"]
LOG = [*LOG, "--cued"]


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        assert self.code == 0, self.stderr
        return json.loads(self.stdout)


class Hinge:
    """`hinge ARGS` against one temporary database, at a fixed date."""

    def __init__(self, tmp_path: Path) -> None:
        self.db = tmp_path / "hinge.db"
        self.env: dict[str, str | None] = {
            "HINGE_DATABASE_URL": str(self.db),
            "HINGE_DATA_DIR": str(tmp_path / "data"),
            "HINGE_TODAY": TODAY.isoformat(),
            "HINGE_LADDERS_FILE": None,
            "HINGE_DEBUG": None,
            "NO_COLOR": "1",
            "FORCE_COLOR": None,
            "COLUMNS": "100",
        }

    def __call__(self, *args: str, **env: str | None) -> Run:
        result = CliRunner().invoke(cli.app, list(args), env={**self.env, **env})
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Run(result.exit_code, result.stdout, result.stderr)

    def process(self, *args: str, console_script: bool = False) -> Run:
        """The real installed command, in a subprocess."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("HINGE_")}
        env.update({k: v for k, v in self.env.items() if v is not None})
        env.pop("FORCE_COLOR", None)
        command = (
            [str(Path(sys.executable).parent / "hinge")]
            if console_script
            else [sys.executable, "-m", "hingecoach"]
        )
        done = subprocess.run(
            [*command, *args],
            capture_output=True,
            text=True,
            env=env,
            stdin=subprocess.DEVNULL,
            timeout=60,
            check=False,
        )
        return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def hinge(tmp_path: Path) -> Hinge:
    return Hinge(tmp_path)


@pytest.fixture
def started(hinge: Hinge) -> Hinge:
    assert hinge(*START).code == 0
    return hinge


def one_line_error(run: Run, code: int = 1) -> str:
    assert run.code == code, (run.stdout, run.stderr)
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


# -- catalog --------------------------------------------------------------------------


def test_ladders_json_lists_both_ladders_with_steps_in_article_order(hinge: Hinge) -> None:
    data = hinge("ladders", "--json").json()
    by_id = {lad["id"]: lad for lad in data}
    assert {"solving-pain", "evolve"} <= by_id.keys()
    for lad in data:
        assert {"id", "name", "source", "description", "steps"} <= lad.keys()
        assert lad["name"]
        assert lad["source"]
        assert len(lad["steps"]) == 10
        for number, step in enumerate(lad["steps"], start=1):
            assert step["step"] == number
            assert {"id", "name", "label", "stage", "loaded"} <= step.keys()
    assert [s["id"] for s in by_id["solving-pain"]["steps"]] == list(SOLVING_PAIN_ORDER)
    assert by_id["solving-pain"]["steps"][2]["name"] == "Dowel hip hinge"


def test_exercises_json(hinge: Hinge) -> None:
    data = hinge("exercises", "--json").json()
    ids = [ex["id"] for ex in data]
    assert set(SOLVING_PAIN_ORDER) <= set(ids)
    assert len(ids) == len(set(ids))
    for ex in data:
        assert {"id", "name", "aliases", "stage", "equipment", "loaded"} <= ex.keys()
        assert isinstance(ex["aliases"], list)
        assert isinstance(ex["equipment"], list)
    dowel = next(ex for ex in data if ex["id"] == "dowel_hinge")
    assert "Three Point Contact Hinge" in dowel["aliases"]


@pytest.mark.parametrize("key", ["dowel_hinge", "Three Point Contact Hinge", "the hip hinge"])
def test_exercise_by_id_or_alias(hinge: Hinge, key: str) -> None:
    run = hinge("exercise", key)
    assert run.code == 0, run.stderr
    assert "Dowel hip hinge (dowel_hinge)" in run.stdout
    for heading in ("Setup", "Cues", "Common faults", "Self-check"):
        assert heading in run.stdout
    assert hinge("exercise", key, "--json").json()["id"] == "dowel_hinge"


def test_an_unknown_exercise_is_one_line(hinge: Hinge) -> None:
    line = one_line_error(hinge("exercise", "nope"))
    assert "exercise" in line
    assert "nope" in line


CUSTOM_LADDER = """
[[ladder]]
id = "gentle"
name = "Gentle start"
source = "Clinic protocol"
steps = [{ exercise = "hero_squat" }, { exercise = "%s" }]
"""


def test_ladders_file_checks_and_lists_a_custom_ladder(hinge: Hinge, tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text(CUSTOM_LADDER % "butt_taps")
    data = hinge("ladders", "--file", str(good), "--json").json()
    gentle = next(lad for lad in data if lad["id"] == "gentle")
    assert [s["id"] for s in gentle["steps"]] == ["hero_squat", "butt_taps"]


def test_ladders_file_with_an_unknown_exercise_names_file_and_step(
    hinge: Hinge, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(CUSTOM_LADDER % "butt_tapz")
    line = one_line_error(hinge("ladders", "--file", str(bad)))
    assert str(bad) in line
    assert "step 2.exercise" in line
    assert "butt_tapz" in line


def test_ladders_and_exercises_render_as_tables(hinge: Hinge) -> None:
    ladders = hinge("ladders")
    assert ladders.code == 0
    assert "Solving Pain With Strength" in ladders.stdout
    exercises = hinge("exercises")
    assert exercises.code == 0
    assert "kb_swing" in exercises.stdout


# -- a first week ---------------------------------------------------------------------


def test_start_today_log_checkin_status_history(hinge: Hinge) -> None:
    started = hinge(*START, "--json").json()
    assert started["placed"] is True
    assert started["step"] == 1
    assert started["exercise_id"] == "hero_squat"
    assert started["rules"]
    assert started["reasons"]

    today = hinge("today", "--json").json()
    assert today["learner"] == "Ann"
    assert today["ladder"]["id"] == "solving-pain"
    assert today["step"] == 1
    assert today["steps"] == 10
    assert today["stopped"] is False
    rx = today["prescription"]
    assert rx["exercise_id"] == "hero_squat"
    assert rx["sets"] >= 1
    assert rx["cues"]
    assert rx["self_check"]
    assert today["last_decision"]["trigger"] == "start"

    logged = hinge(*LOG, "--self-check", "yes,yes,no", "--json").json()
    assert logged["decision"]["rules"]
    assert logged["decision"]["reasons"]
    assert logged["decision"]["step_before"] == 1

    tomorrow = {"HINGE_TODAY": TOMORROW}
    checked = hinge("checkin", "--pain", "1", "--json", **tomorrow).json()
    assert checked["decision"]["rules"]

    status = hinge("status", "--json", **tomorrow).json()
    assert status["sessions"] == 1
    assert status["checkins"] == 1
    assert status["morning_pain"] == [{"date": TOMORROW, "pain": 1}]
    assert [d["trigger"] for d in status["recent_decisions"]] == ["start", "session", "checkin"]

    history = hinge("history", "--json", **tomorrow).json()
    [session] = history["sessions"]
    assert session["date"] == TODAY.isoformat()
    assert session["exercise_id"] == "hero_squat"
    assert session["self_check"] == [True, True, False]
    assert session["sets"] == [
        {"reps": None, "seconds": 30, "load": None, "rpe": None},
        {"reps": None, "seconds": 30, "load": None, "rpe": None},
    ]
    assert history["checkins"] == [{"date": TOMORROW, "pain": 1, "area": "none", "soreness": False}]
    assert len(history["decisions"]) == 3


def test_every_command_renders_for_people(started: Hinge) -> None:
    for args in (
        ["today"],
        LOG,
        ["checkin", "--pain", "1"],
        ["status"],
        ["history"],
        ["guide"],
        ["screen", "--none"],
        ["screen", "--list"],
    ):
        run = started(*args)
        assert run.code == 0, (args, run.stderr)
        assert run.stdout.strip(), args
    assert "Hero squat" in started("today").stdout


def test_text_that_looks_like_markup_is_printed_as_is(hinge: Hinge) -> None:
    assert (
        hinge(
            "start", "--name", "[/] Ann [bold]", "--experience", "new", "--pain", "1", "--none"
        ).code
        == 0
    )
    status = hinge("status")
    assert status.code == 0, status.stderr
    assert "[/] Ann [bold]" in status.stdout
    line = one_line_error(hinge(*LOG[:-3], "--sets", "[/x]", "--cued"))
    assert "[/x]" in line


def test_screen_with_an_emergency_flag_stops_then_clear_resumes(started: Hinge) -> None:
    run = started("screen", "--flag", "S-A1")
    assert run.code == 0
    assert "STOP" in run.stdout
    assert "emergency care today" in run.stdout

    today = started("today", "--json").json()
    assert today["stopped"] is True
    assert today["prescription"] is None
    assert today["safety"]["urgency"] == "emergency"
    assert "emergency care" in today["safety"]["message"]
    assert "EMERGENCY" in started("today").stdout

    cleared = started(
        "clear", "--by", "Dr Who", "--examined", TODAY.isoformat(), "--note", "seen", "--json"
    ).json()
    assert cleared["decision"]["action"] != "stop"
    assert cleared["today"]["stopped"] is False
    assert started("today", "--json").json()["prescription"] is not None


def test_screen_list_json(hinge: Hinge) -> None:
    flags = hinge("screen", "--list", "--json").json()
    assert {"S-A1", "S-B1", "S-C1"} <= {f["id"] for f in flags}
    assert all({"id", "urgency", "question"} == f.keys() for f in flags)


def test_db_upgrade_and_path(hinge: Hinge) -> None:
    run = hinge("db", "upgrade")
    assert run.code == 0
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert f"schema {head}" in run.stdout
    assert hinge.db.exists()
    assert hinge("db", "path").stdout.strip() == f"sqlite+pysqlite:///{hinge.db.resolve()}"


def test_the_db_option_wins_over_the_environment(hinge: Hinge, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    assert hinge("--db", str(other), *START).code == 0
    assert other.exists()
    assert not hinge.db.exists()


@pytest.mark.parametrize("url", [None, ""])
def test_the_default_database_lives_in_the_data_folder(
    hinge: Hinge, tmp_path: Path, url: str | None
) -> None:
    run = hinge("db", "upgrade", HINGE_DATABASE_URL=url)
    assert run.code == 0, run.stderr
    assert (tmp_path / "data" / "hingecoach.db").exists()


# -- refused input: exit 1, one line naming the field and range, nothing changes -----

BAD_INPUT = [
    (["log", "--pain-during", "11"], "pain_during", "0-10"),
    (["log", "--sets=-3"], "sets", "0-200"),
    (["log", "--sets", "10,ten"], "sets", "reps like 10"),
    (["log", "--exercise", "nope"], "exercise", "known ids"),
    (["log", "--exercise", "clean"], "exercise", "an exercise on your ladder"),
    (["log", "--date", TOMORROW], "date", "no later than today"),
    (["log", "--date", "2026-13-40"], "date", "YYYY-MM-DD"),
    (["log", "--area", "leg"], "area", "none, back, buttock_thigh, below_knee"),
    (["log", "--quality", "itchy"], "quality", "burning"),
    (["log", "--flag", "S-Z9"], "flag", "S-A1"),
    (["log", "--rpe", "11"], "rpe", "0-10"),
    (["log", "--load", "5"], "load", "unloaded"),
    (["log", "--self-check", "yes,maybe,no"], "self_check", "yes/no answers"),
    (["log", "--faults=-1"], "faults", "0-1000"),
    (["checkin", "--pain", "11"], "pain", "0-10"),
    (["checkin", "--pain", "1", "--date", TOMORROW], "date", "no later than today"),
    (["checkin", "--pain", "1", "--area", "arm"], "area", "below_knee"),
    (["screen", "--flag", "S-Z9"], "flag", "S-A1"),
    (["clear", "--by", "   ", "--examined", TODAY.isoformat()], "by", "1-120 characters"),
    (START, "learner", "already exists"),
    (
        ["start", "--name", "Bo", "--experience", "pro", "--pain", "1", "--none"],
        "experience",
        "new, some, lifter",
    ),
    (["timer", "--sets=-3", "--work", "1", "--rest", "0"], "sets", "1-10"),
]


def _complete(args: list[str]) -> list[str]:
    """Fill in the other required log values so only the bad one is wrong."""
    if args[0] != "log":
        return args
    given = {a.split("=")[0] for a in args}
    defaults = {
        "--pain-before": "1",
        "--pain-during": "2",
        "--pain-after": "1",
        "--sets": "30s,30s",
    }
    extra = [x for key, value in defaults.items() if key not in given for x in (key, value)]
    return [*args, *extra, "--cued"]


@pytest.mark.parametrize(("args", "field", "expected"), BAD_INPUT, ids=lambda v: str(v))
def test_bad_input_is_one_line_and_changes_nothing(
    started: Hinge, args: list[str], field: str, expected: str
) -> None:
    before = started("history", "--json").json()
    line = one_line_error(started(*_complete(args), COLUMNS="40"))  # one line, however narrow
    assert field in line
    assert expected in line
    assert started("history", "--json").json() == before


def test_a_bad_hinge_today_is_named(hinge: Hinge) -> None:
    line = one_line_error(hinge("today", HINGE_TODAY="yesterday"))
    assert "HINGE_TODAY" in line
    assert "YYYY-MM-DD" in line


def test_a_bad_ladders_file_is_named(hinge: Hinge, tmp_path: Path) -> None:
    bad = tmp_path / "mine.toml"
    bad.write_text('[[ladder]]\nid = "mine"\nname = "Mine"\nsteps = [{exercise = "deadlift"}]\n')
    line = one_line_error(hinge("ladders", HINGE_LADDERS_FILE=str(bad)))
    assert "mine.toml" in line


def test_no_learner_yet(hinge: Hinge) -> None:
    clear = ["clear", "--by", "Dr Lee", "--examined", TODAY.isoformat()]
    for args in (["today"], ["status"], ["history"], _complete(["log"]), clear):
        assert "hinge start" in one_line_error(hinge(*args))


# -- usage errors: exit 2 -------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["clear"],  # required option
        ["log", "--bogus"],  # unknown option
        ["log", "--pain-during", "2.5"],  # not a whole number
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(started: Hinge, args: list[str]) -> None:
    before = started("history", "--json").json()
    run = started(*args)
    assert run.code == 2, (run.stdout, run.stderr)
    assert "Traceback" not in run.stderr
    assert started("history", "--json").json() == before


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["log", "--pain-before", "1"], "--pain-during"),
        (["checkin"], "--pain"),
        (["start", "--name", "Ann", "--experience", "new", "--pain", "2"], "--none"),
        (["start", "--none", "--experience", "new", "--pain", "2"], "--name"),
        (["screen"], "--none"),
    ],
)
def test_a_value_that_would_be_asked_is_a_one_line_usage_error(
    started: Hinge, args: list[str], named: str
) -> None:
    """On a terminal these are asked; without one, exit 2 naming the option to pass."""
    before = started("history", "--json").json()
    line = one_line_error(started(*args, COLUMNS="40"), 2)  # one line, however narrow
    assert named in line
    assert started("history", "--json").json() == before


def test_guide_without_a_learner_and_without_a_terminal_is_a_usage_error(hinge: Hinge) -> None:
    run = hinge("guide")
    assert "Welcome to HingeCoach" in run.stdout
    assert "--name" in one_line_error(run, 2)
    assert hinge("status").code == 1  # the guide did not create a learner


# -- the real command in a subprocess -------------------------------------------------


@pytest.mark.slow
def test_the_installed_command_runs(hinge: Hinge) -> None:
    ladders = hinge.process("ladders", "--json", console_script=True)
    assert ladders.code == 0, ladders.stderr
    assert [s["id"] for s in json.loads(ladders.stdout)[0]["steps"]] == list(SOLVING_PAIN_ORDER)


@pytest.mark.slow
def test_exit_codes_through_main(hinge: Hinge) -> None:
    assert hinge.process(*START).code == 0
    bad = hinge.process(*_complete(["log", "--pain-during", "11"]))
    assert "pain_during" in one_line_error(bad, 1)
    usage = hinge.process("log", "--pain-before", "1")
    assert usage.code == 2
    assert "Traceback" not in usage.stderr


@pytest.mark.slow
def test_timer_runs_to_the_end(hinge: Hinge) -> None:
    run = hinge.process(
        "timer", "--sets", "1", "--work", "1", "--rest", "0", "--ready", "0", "--quiet"
    )
    assert run.code == 0, run.stderr
    assert "Done." in run.stdout
    assert "\a" not in run.stdout


@pytest.mark.slow
def test_a_damaged_database_file_is_refused(hinge: Hinge) -> None:
    garbage = bytes(range(256)) * 64
    hinge.db.write_bytes(garbage)
    line = one_line_error(hinge.process("status"))
    assert "damaged" in line
    assert "not a HingeCoach database" in line
    assert hinge.db.read_bytes() == garbage


def test_an_internal_error_is_one_line_and_exit_3(
    hinge: Hinge, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bug (not a HingeError) gets exit 3 and one line; HINGE_DEBUG=1 shows the trace."""
    assert hinge(*START).code == 0

    def broken(_self: Coach) -> None:
        raise KeyError("[/] boom")

    monkeypatch.setattr(Coach, "today_view", broken)
    for key, value in hinge.env.items():
        if value is None:
            monkeypatch.delenv(key, raising=False)
        else:
            monkeypatch.setenv(key, value)
    monkeypatch.setattr(sys, "argv", ["hinge", "today"])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    assert exited.value.code == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("internal error: KeyError")
    assert "HINGE_DEBUG" in err

    monkeypatch.setenv("HINGE_DEBUG", "1")
    with pytest.raises(KeyError):
        cli.main()


# -- settings -------------------------------------------------------------------------


def test_settings_precedence_and_empty_values(tmp_path: Path) -> None:
    env = {"HINGE_DATA_DIR": str(tmp_path), "HINGE_DATABASE_URL": str(tmp_path / "env.db")}
    assert load_settings(str(tmp_path / "opt.db"), env).database_url.endswith("/opt.db")
    relative = load_settings("rel.db", env).database_url
    assert relative == f"sqlite+pysqlite:///{Path('rel.db').resolve()}"
    assert load_settings(None, env).database_url.endswith("/env.db")
    default = load_settings(None, {**env, "HINGE_DATABASE_URL": ""})
    assert default.database_url == f"sqlite+pysqlite:///{tmp_path}/hingecoach.db"
    assert default.default_database
    assert default.today_override is None
    assert load_settings(None, {**env, "HINGE_TODAY": "2026-01-05"}).today() == date(2026, 1, 5)
    url = "postgresql+psycopg://u:p@h/db"
    assert load_settings(url, env).database_url == url


@pytest.mark.parametrize(
    ("value", "enabled"),
    [("", False), ("0", False), ("false", False), ("no", False), ("1", True), ("yes", True)],
)
def test_hinge_debug_values(value: str, enabled: bool) -> None:
    assert debug_enabled({"HINGE_DEBUG": value}) is enabled


@pytest.mark.parametrize(
    ("name", "value", "found"),
    [
        ("HINGE_MAX_BODY_KB", "", 1024 * 1024),
        ("HINGE_MAX_BODY_KB", "64", 64 * 1024),
        ("HINGE_CACHE_LEARNERS", "", 256),
        ("HINGE_CACHE_LEARNERS", "0", 0),
        ("HINGE_CACHE_LEARNERS", "5000", 5000),
    ],
)
def test_web_sizes_from_the_environment(name: str, value: str, found: int) -> None:
    settings = load_settings(None, {name: value})
    field = "max_body_bytes" if name == "HINGE_MAX_BODY_KB" else "cache_learners"

    assert getattr(settings, field) == found


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("HINGE_MAX_BODY_KB", "0"),
        ("HINGE_MAX_BODY_KB", "lots"),
        ("HINGE_CACHE_LEARNERS", "-1"),
        ("HINGE_CACHE_LEARNERS", "100001"),
    ],
)
def test_a_web_size_out_of_range_is_refused_naming_it(name: str, value: str) -> None:
    with pytest.raises(ValidationError) as refused:
        load_settings(None, {name: value})

    assert name in str(refused.value)


def test_serve_refuses_workers_outside_the_range_naming_it(hinge: Hinge) -> None:
    line = one_line_error(hinge("serve", "--workers", "0"))

    assert "workers" in line
    assert "1-64" in line


def test_serve_refuses_a_port_outside_the_range_naming_it(hinge: Hinge) -> None:
    line = one_line_error(hinge("serve", "--port", "70000"))

    assert "port" in line
    assert "1-65535" in line


def test_admin_create_makes_an_account_that_can_sign_in(hinge: Hinge) -> None:
    run = hinge(
        "admin", "create", "--email", "boss@example.com", "--name", "Boss",
        "--clinic", "Head office", "--password", "correct horse battery",
    )  # fmt: skip

    assert run.code == 0, run.stderr
    again = hinge(
        "admin", "create", "--email", "boss@example.com", "--name", "Boss",
        "--clinic", "Head office", "--password", "correct horse battery",
    )  # fmt: skip
    assert "email" in one_line_error(again)


@pytest.mark.parametrize("secret", ["short", "changeme" * 5])
def test_a_short_or_placeholder_secret_key_is_refused_naming_it(hinge: Hinge, secret: str) -> None:
    run = hinge("db", "path", HINGE_SECRET_KEY=secret)

    assert "HINGE_SECRET_KEY" in one_line_error(run)


def _in_a_new_interpreter(code: str) -> str:
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return found.stdout.strip()


def test_the_command_loads_with_the_collector_held_off_and_leaves_it_on() -> None:
    """`hinge` freezes what loading made (cli/entry.py) and collects as usual afterwards;
    importing the CLI as a library changes nothing about the collector."""
    check = "import gc; print(gc.isenabled(), gc.get_freeze_count() > 0)"
    loaded = "from hingecoach.cli.entry import load; load(['today']); "
    assert _in_a_new_interpreter(loaded + check) == "True True"
    assert _in_a_new_interpreter(f"import hingecoach.cli.commands; {check}") == "True False"


@pytest.mark.parametrize(
    ("args", "loaded", "not_loaded"),
    [
        (["today"], "hingecoach.cli.programme", "hingecoach.cli.log"),
        (["log"], "hingecoach.cli.log", "hingecoach.cli.server"),
        (["db"], "hingecoach.cli.server", "hingecoach.cli.programme"),
        ([], "hingecoach.cli.commands", "cv2"),  # every command, never the vision stack
        (["--help"], "hingecoach.cli.commands", "mediapipe"),
        (["tody"], "hingecoach.cli.commands", "cv2"),  # a typo: every name, to suggest one
        (["--db", "x.db", "today"], "hingecoach.cli.programme", "hingecoach.cli.log"),
        (["--db=x.db", "log"], "hingecoach.cli.log", "hingecoach.cli.server"),
        (["--db", "today"], "hingecoach.cli.commands", "cv2"),  # no command after the file
    ],
)
def test_a_command_loads_its_own_module(args: list[str], loaded: str, not_loaded: str) -> None:
    code = f"import sys; from hingecoach.cli.entry import load; load({args!r}); "
    code += f"print({loaded!r} in sys.modules, {not_loaded!r} in sys.modules)"
    assert _in_a_new_interpreter(code) == "True False"


def test_each_command_is_loaded_from_the_module_that_registers_it() -> None:
    import typer.main

    from hingecoach.cli.entry import COMMANDS

    found = {}
    for name, command in typer.main.get_command(cli.app).commands.items():  # type: ignore[attr-defined]
        inner = getattr(command, "commands", {name: command})
        modules = {c.callback.__module__ for c in inner.values()}
        assert len(modules) == 1, (name, modules)
        found[name] = modules.pop().removeprefix("hingecoach.cli.")
    assert found == COMMANDS


def test_the_installed_command_runs_a_command_loaded_alone(started: Hinge) -> None:
    from hingecoach.cli.entry import COMMANDS

    alone = started.process("today", "--json", console_script=True)
    assert alone.json() == started("today", "--json").json()
    listed = started.process("--help", console_script=True)
    assert listed.code == 0, listed.stderr
    assert all(name in listed.stdout for name in COMMANDS)

"""Layers point down only; the engine and motion code import no I/O libraries."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold() -> None:
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken" in result.stdout


def test_a_lower_layer_importing_a_higher_one_is_caught(tmp_path: Path) -> None:
    """The contract itself must be able to fail: plant a bad import in a copy and check."""
    import shutil

    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "src", copy / "src")
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    bad = copy / "src" / "hingecoach" / "engine" / "bad.py"
    bad.write_text("from hingecoach.services import coach  # noqa\n")
    lint = Path(sys.executable).parent / "lint-imports"
    env = {"PYTHONPATH": str(copy / "src"), "PATH": str(Path(sys.executable).parent)}
    result = subprocess.run(
        [str(lint)], cwd=copy, capture_output=True, text=True, check=False, env=env
    )
    assert result.returncode != 0
    assert "broken" in result.stdout

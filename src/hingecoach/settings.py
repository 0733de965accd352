"""Settings, read once from the environment. Every setting is documented in docs/settings.md."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from platformdirs import user_data_dir

from hingecoach.adapters.db.store import sqlite_url
from hingecoach.errors import ValidationError

__all__ = ["Settings", "debug_enabled", "load_settings"]


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    today_override: date | None
    ladders_file: Path | None
    default_database: bool = False  # the file in `data_dir`: its folder may be created

    def today(self) -> date:
        return self.today_override or date.today()


def _today_override(raw: str | None) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError("HINGE_TODAY", "a date as YYYY-MM-DD", raw) from None


def load_settings(db: str | None = None, env: dict[str, str] | None = None) -> Settings:
    """`db` (the --db option: a path or a URL) wins over HINGE_DATABASE_URL and the default.

    An empty value counts as unset, so `HINGE_DATABASE_URL=` falls back to the default file
    rather than to the current directory.
    """
    env = dict(os.environ) if env is None else env
    raw_dir = env.get("HINGE_DATA_DIR", "").strip()
    data_dir = (
        Path(raw_dir).expanduser().resolve()
        if raw_dir
        else Path(user_data_dir("hingecoach", appauthor=False))
    )
    url = (db or "").strip() or env.get("HINGE_DATABASE_URL", "").strip()
    default = not url
    if default:
        url = sqlite_url(data_dir / "hingecoach.db")
    elif "://" not in url:
        url = sqlite_url(Path(url).expanduser().resolve())
    ladders = env.get("HINGE_LADDERS_FILE", "").strip()
    return Settings(
        database_url=url,
        data_dir=data_dir,
        today_override=_today_override(env.get("HINGE_TODAY", "").strip() or None),
        ladders_file=Path(ladders).expanduser() if ladders else None,
        default_database=default,
    )


def debug_enabled(env: dict[str, str] | None = None) -> bool:
    """HINGE_DEBUG: show full stack traces for internal errors. Off when unset, 0, false or no."""
    env = dict(os.environ) if env is None else env
    return env.get("HINGE_DEBUG", "").strip().lower() not in {"", "0", "false", "no", "off"}

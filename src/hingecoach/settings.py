"""Settings, read once from the environment. Every setting is documented in docs/settings.md."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from platformdirs import user_data_dir

from hingecoach.errors import ValidationError

__all__ = ["Settings", "load_settings"]


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    today_override: date | None
    ladders_file: Path | None

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
    """`db` (the --db option: a path or a URL) wins over HINGE_DATABASE_URL and the default."""
    env = dict(os.environ) if env is None else env
    data_dir = Path(env.get("HINGE_DATA_DIR") or user_data_dir("hingecoach", appauthor=False))
    url = db or env.get("HINGE_DATABASE_URL")
    if url is None:
        url = f"sqlite+pysqlite:///{data_dir / 'hingecoach.db'}"
    elif "://" not in url:
        url = f"sqlite+pysqlite:///{Path(url).expanduser().resolve()}"
    ladders = env.get("HINGE_LADDERS_FILE")
    return Settings(
        database_url=url,
        data_dir=data_dir,
        today_override=_today_override(env.get("HINGE_TODAY")),
        ladders_file=Path(ladders) if ladders else None,
    )

"""Settings, read once from the environment. Every setting is documented in docs/settings.md."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from platformdirs import user_data_dir

from hingecoach.adapters.db.store import sqlite_url
from hingecoach.adapters.mail import SmtpConfig
from hingecoach.engine.texts import N_
from hingecoach.errors import StoreError, ValidationError

__all__ = ["Settings", "debug_enabled", "load_settings", "web_secret"]


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    today_override: date | None
    ladders_file: Path | None
    default_database: bool = False  # the file in `data_dir`: its folder may be created
    secret_key: str | None = None  # signs web session cookies; see `web_secret`
    secure_cookies: bool = False  # HINGE_SECURE_COOKIES: send the cookie over HTTPS only
    max_body_bytes: int = 1024 * 1024  # HINGE_MAX_BODY_KB: a larger request body gets 413
    cache_learners: int = 256  # HINGE_CACHE_LEARNERS: learners each web process keeps (0: none)
    # Form checks (docs/settings.md): where clips wait for their job, how large and how long
    # a clip may be, how long a job may go without a heartbeat before it is taken again,
    # and whether jobs run inside the web process (tests and one-off demos) or in workers.
    upload_dir: Path | None = None  # HINGE_UPLOAD_DIR; None: `data_dir/uploads`
    max_upload_mb: int = 500  # HINGE_MAX_UPLOAD_MB
    max_video_seconds: int = 180  # HINGE_MAX_VIDEO_SECONDS
    job_lease_seconds: int = 30  # HINGE_JOB_LEASE_SECONDS
    jobs_inline: bool = False  # HINGE_JOBS_INLINE
    # Live coaching: where the browser's pose model (npm @mediapipe/pose) is; None: the
    # checkout's node_modules, where make install puts it (adapters/pose_web.py).
    pose_web_dir: Path | None = None  # HINGE_POSE_WEB_DIR
    # Server analysis: the landmark model (full, or heavy: slower, steadier on hard clips)
    # and how many pose trackers follow one clip at once (the cores it may use).
    pose_model: str = "full"  # HINGE_POSE_MODEL
    pose_workers: int = 2  # HINGE_POSE_WORKERS
    # Reminders (docs/settings.md): e-mail goes out only when an SMTP host is set; links in
    # e-mails and calendar feeds start with the base URL (else the request's own address).
    smtp: SmtpConfig | None = None  # HINGE_SMTP_HOST, _PORT, _FROM, _USER, _PASSWORD, _STARTTLS
    base_url: str = ""  # HINGE_BASE_URL, without a trailing slash

    @property
    def uploads(self) -> Path:
        return self.upload_dir or self.data_dir / "uploads"

    def today(self) -> date:
        return self.today_override or date.today()


def _today_override(raw: str | None) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError("HINGE_TODAY", N_("a date as YYYY-MM-DD"), raw) from None


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
    secret = env.get("HINGE_SECRET_KEY", "").strip() or None
    uploads = env.get("HINGE_UPLOAD_DIR", "").strip()
    if secret is not None and _weak(secret):
        raise ValidationError(
            "HINGE_SECRET_KEY",
            N_("at least 32 random characters (not a placeholder)"),
            "a short or placeholder value",
        )
    return Settings(
        database_url=url,
        data_dir=data_dir,
        today_override=_today_override(env.get("HINGE_TODAY", "").strip() or None),
        ladders_file=Path(ladders).expanduser() if ladders else None,
        default_database=default,
        secret_key=secret,
        secure_cookies=_flag(env.get("HINGE_SECURE_COOKIES", "")),
        max_body_bytes=_kib("HINGE_MAX_BODY_KB", env.get("HINGE_MAX_BODY_KB", ""), 1024),
        cache_learners=_count(
            "HINGE_CACHE_LEARNERS", env.get("HINGE_CACHE_LEARNERS", ""), 256, 100_000
        ),
        upload_dir=Path(uploads).expanduser().resolve() if uploads else None,
        max_upload_mb=_count(
            "HINGE_MAX_UPLOAD_MB", env.get("HINGE_MAX_UPLOAD_MB", ""), 500, 4096, least=1
        ),
        max_video_seconds=_count(
            "HINGE_MAX_VIDEO_SECONDS", env.get("HINGE_MAX_VIDEO_SECONDS", ""), 180, 3600, least=5
        ),
        job_lease_seconds=_count(
            "HINGE_JOB_LEASE_SECONDS", env.get("HINGE_JOB_LEASE_SECONDS", ""), 30, 3600, least=2
        ),
        jobs_inline=_flag(env.get("HINGE_JOBS_INLINE", "")),
        pose_web_dir=_folder(env.get("HINGE_POSE_WEB_DIR", "")),
        pose_model=_choice("HINGE_POSE_MODEL", env.get("HINGE_POSE_MODEL", ""), _POSE_MODELS),
        pose_workers=_count(
            "HINGE_POSE_WORKERS", env.get("HINGE_POSE_WORKERS", ""), _CORES, 2, least=1
        ),
        smtp=_smtp(env),
        base_url=_base_url(env.get("HINGE_BASE_URL", "")),
    )


_POSE_MODELS = ("full", "heavy")
# Two trackers at most: a clip is cut in two halves (adapters/pose.py).
_CORES = min(os.cpu_count() or 1, 2)


def _choice(name: str, raw: str, allowed: tuple[str, ...]) -> str:
    """One of `allowed` (the first when unset)."""
    value = raw.strip().lower() or allowed[0]
    if value not in allowed:
        raise ValidationError(name, N_("one of {allowed}"), raw, allowed=", ".join(allowed))
    return value


def _folder(raw: str) -> Path | None:
    return Path(raw.strip()).expanduser().resolve() if raw.strip() else None


def _smtp(env: dict[str, str]) -> SmtpConfig | None:
    """Where reminder e-mail goes; None (no e-mail) without HINGE_SMTP_HOST."""
    host = env.get("HINGE_SMTP_HOST", "").strip()
    if not host:
        return None
    sender = env.get("HINGE_SMTP_FROM", "").strip()
    if "@" not in sender:
        raise ValidationError(
            "HINGE_SMTP_FROM", N_("the address reminders come from, like coach@example.org"), sender
        )
    user = env.get("HINGE_SMTP_USER", "").strip() or None
    password = env.get("HINGE_SMTP_PASSWORD", "") or None
    if (user is None) != (password is None):
        raise ValidationError(
            "HINGE_SMTP_USER", N_("both HINGE_SMTP_USER and HINGE_SMTP_PASSWORD, or neither"), "one"
        )
    starttls = _flag(env.get("HINGE_SMTP_STARTTLS", "on") or "on")
    port = _count("HINGE_SMTP_PORT", env.get("HINGE_SMTP_PORT", ""), 587, 65535, least=1)
    return SmtpConfig(host, port, sender, user, password, starttls)


def _base_url(raw: str) -> str:
    """The address learners reach the web app at, for links sent out (http or https)."""
    url = raw.strip().rstrip("/")
    parts = urlsplit(url)
    if url and (parts.scheme not in ("http", "https") or not parts.netloc or parts.query):
        raise ValidationError(
            "HINGE_BASE_URL", N_("an address like https://coach.example.org"), raw
        )
    return url


_KIB_MOST = 10 * 1024 * 1024  # 10 GiB, in KiB


def _kib(name: str, raw: str, default: int) -> int:
    """A size in KiB from the environment, as bytes; empty means the default."""
    if not raw.strip():
        return default * 1024
    if not raw.strip().isdigit() or not 1 <= int(raw) <= _KIB_MOST:
        raise ValidationError(
            name, N_("a whole number of KiB, {low}-{high}"), raw, low=1, high=_KIB_MOST
        )
    return int(raw) * 1024


def _count(name: str, raw: str, default: int, most: int, least: int = 0) -> int:
    """A whole number from the environment, `least` to `most`; empty means the default."""
    if not raw.strip():
        return default
    if not raw.strip().isdigit() or not least <= int(raw) <= most:
        raise ValidationError(name, N_("a whole number, {low}-{high}"), raw, low=least, high=most)
    return int(raw)


def _weak(secret: str) -> bool:
    """Too short, or too little variety to be random: a placeholder such as
    `changemechangeme...` repeated to length."""
    return len(secret) < 32 or len(set(secret)) < 10


def _flag(raw: str) -> bool:
    return raw.strip().lower() not in {"", "0", "false", "no", "off"}


def web_secret(settings: Settings) -> str:
    """HINGE_SECRET_KEY, else a random key kept in the data folder (made once, owner-only).

    Every web process on one machine then signs cookies with the same key; a clinic running
    several machines sets HINGE_SECRET_KEY on each.
    """
    if settings.secret_key:
        return settings.secret_key
    path = settings.data_dir / "secret_key"
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(48))
        return path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise StoreError(
            N_("cannot keep the web secret key in {path} ({why})"), path=path, why=exc.strerror
        ) from None


def debug_enabled(env: dict[str, str] | None = None) -> bool:
    """HINGE_DEBUG: show full stack traces for internal errors. Off when unset, 0, false or no."""
    env = dict(os.environ) if env is None else env
    return _flag(env.get("HINGE_DEBUG", ""))

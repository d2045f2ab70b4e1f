"""Settings read from the environment, with safe defaults for the embedded (SQLite) set-up.

This is the only module of the app that reads the environment; everything else reads the
Flask config mapping that ``load_config`` builds (and that tests may override).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.clock import DEFAULT_ZONE_NAME

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = PROJECT_ROOT / "instance"
#: FEE_HOURLY_RULE values (as ``fees.HOURLY_RULES``): every started hour, or the exact time.
HOURLY_RULES = ("started", "actual")
#: PAYOUT_FREQUENCY values (as ``PayoutFrequency``).
PAYOUT_FREQUENCIES = ("monthly", "quarterly")
#: Typed defaults of the settings of the jobs and of compensation.
DEFAULTS: dict[str, Any] = {
    "TIMEZONE": DEFAULT_ZONE_NAME,
    "REMINDER_DAYS": (7, 1),
    "SURVEY_DELAY_HOURS": 2.0,
    "CLAIM_REMINDER_DAYS": 5,
    "PAYOUT_FREQUENCY": PAYOUT_FREQUENCIES[0],
    "REVIEW_MONTHS": 6,
    "REVIEW_REMINDER_DAYS": 14,
    "REVIEW_PAUSE_DAYS": 14,
    "RETENTION_DAYS": 90,
    "MANDATE_REMINDER_DAYS": 60,
    "SCHEDULER_SCAN_SECONDS": 600,
    "OUTBOX_DELIVERY_SECONDS": 60,
    "SCHEDULER_LEASE_SECONDS": 30,
    "FEE_HOURLY_RULE": HOURLY_RULES[0],
}


class ConfigError(RuntimeError):
    """Raised when the configuration cannot be used safely."""


def instance_path() -> Path:
    """Return the instance folder (database, secret key, outbox), creating it if needed."""
    path = Path(os.environ.get("LEVBIB_INSTANCE", DEFAULT_INSTANCE))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _secret_key(env: str) -> str:
    """Return SECRET_KEY from the environment, or one generated once and kept in instance/."""
    key = os.environ.get("SECRET_KEY")
    if key:
        if env == "production" and len(key) < 32:
            raise ConfigError("SECRET_KEY must be at least 32 characters in production.")
        return key
    if env == "production":
        raise ConfigError("SECRET_KEY must be set in production.")
    key_file = instance_path() / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def database_url() -> str:
    """Return DATABASE_URL, defaulting to an SQLite file in instance/."""
    url = os.environ.get("DATABASE_URL")
    if url:
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        return url
    return f"sqlite:///{instance_path() / 'levbib.sqlite'}"


def _text(name: str) -> str:
    """Return the environment variable ``name`` without surrounding space ("" when unset)."""
    return os.environ.get(name, "").strip()


def _number(name: str, kind: type[int] | type[float], minimum: int) -> Any:
    """Return ``name`` as an int or a float of at least ``minimum``, else its default."""
    text = _text(name)
    if not text:
        return DEFAULTS[name]
    try:
        value = kind(text)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise ConfigError(f"{name} must be {what}, got {text!r}.") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {text!r}.")
    return value


def day_list(value: str | Iterable[int | str]) -> tuple[int, ...]:
    """Return days given as "7,1" (or as a sequence) as a tuple of whole numbers."""
    parts = value.split(",") if isinstance(value, str) else value
    return tuple(int(part) for part in parts if str(part).strip())


def _days(name: str) -> tuple[int, ...]:
    """Return ``name`` as comma-separated whole days, else its default."""
    text = _text(name)
    if not text:
        return DEFAULTS[name]
    try:
        days = day_list(text)
    except ValueError:
        days = ()
    if not days or min(days) < 0:
        raise ConfigError(f"{name} must be whole days separated by commas, got {text!r}.")
    return days


def _choice(name: str, choices: tuple[str, ...]) -> str:
    """Return ``name`` if it is one of ``choices``, else its default when unset."""
    value = _text(name).lower() or DEFAULTS[name]
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, got {value!r}.")
    return value


def _zone_name() -> str:
    """Return TIMEZONE, an IANA time zone name."""
    name = _text("TIMEZONE") or DEFAULTS["TIMEZONE"]
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"TIMEZONE must be an IANA time zone such as {DEFAULT_ZONE_NAME}, got {name!r}."
        ) from None
    return name


def _job_settings() -> dict[str, Any]:
    """Return the settings of the scheduled jobs (``app.jobs.settings``)."""
    return {
        "REMINDER_DAYS": _days("REMINDER_DAYS"),
        "SURVEY_DELAY_HOURS": _number("SURVEY_DELAY_HOURS", float, 0),
        "CLAIM_REMINDER_DAYS": _number("CLAIM_REMINDER_DAYS", int, 0),
        "REVIEW_MONTHS": _number("REVIEW_MONTHS", int, 1),
        "REVIEW_REMINDER_DAYS": _number("REVIEW_REMINDER_DAYS", int, 0),
        "REVIEW_PAUSE_DAYS": _number("REVIEW_PAUSE_DAYS", int, 0),
        "RETENTION_DAYS": _number("RETENTION_DAYS", int, 0),
        "MANDATE_REMINDER_DAYS": _number("MANDATE_REMINDER_DAYS", int, 0),
        "SCHEDULER_SCAN_SECONDS": _number("SCHEDULER_SCAN_SECONDS", int, 1),
        "OUTBOX_DELIVERY_SECONDS": _number("OUTBOX_DELIVERY_SECONDS", int, 1),
        "SCHEDULER_LEASE_SECONDS": _number("SCHEDULER_LEASE_SECONDS", int, 1),
    }


def _compensation_settings() -> dict[str, Any]:
    """Return the settings of fees, payouts and receipts."""
    receipts = _text("RECEIPT_FOLDER")
    return {
        "FEE_HOURLY_RULE": _choice("FEE_HOURLY_RULE", HOURLY_RULES),
        "PAYOUT_FREQUENCY": _choice("PAYOUT_FREQUENCY", PAYOUT_FREQUENCIES),
        "RECEIPT_FOLDER": Path(receipts) if receipts else instance_path() / "receipts",
    }


def setting(config: Mapping, name: str) -> Any:
    """Return one of the ``DEFAULTS`` settings from a config mapping, or its default."""
    value = config.get(name)
    return DEFAULTS[name] if value is None or value == "" else value


def fee_hourly_rule(config: Mapping) -> str:
    """Return how hourly fees count time (FEE_HOURLY_RULE): "started" or "actual"."""
    return str(setting(config, "FEE_HOURLY_RULE"))


def payout_frequency(config: Mapping) -> str:
    """Return the default period of a payout batch (PAYOUT_FREQUENCY)."""
    return str(setting(config, "PAYOUT_FREQUENCY"))


def receipt_folder(config: Mapping) -> Path:
    """Return where receipts are kept (RECEIPT_FOLDER, default instance/receipts)."""
    folder = config.get("RECEIPT_FOLDER")
    return Path(folder) if folder else instance_path() / "receipts"


def material_folder(config: Mapping) -> Path:
    """Return where request material is kept (MATERIAL_FOLDER, default beside the receipts)."""
    folder = config.get("MATERIAL_FOLDER")
    return Path(folder) if folder else receipt_folder(config).parent / "materials"


def _list(value: str) -> list[str]:
    """Return the non-empty items of a comma-separated setting."""
    return [item.strip() for item in value.split(",") if item.strip()]


def _hours(name: str, value: str) -> float:
    """Return a positive number of hours (at most a week), or refuse the setting by name."""
    try:
        hours = float(value)
    except ValueError:
        hours = -1.0
    if not 0 < hours <= 168:
        raise ConfigError(
            f"{name} must be a number of hours above 0 and at most 168, not {value!r}."
        )
    return hours


def _count(name: str, value: str) -> int:
    """Return a whole number of zero or more, or refuse the setting by name."""
    if not value.strip().isdigit():
        raise ConfigError(f"{name} must be a whole number of zero or more, not {value!r}.")
    return int(value)


def local_base_url(host: str = "127.0.0.1", port: int = 5000, *, https: bool = False) -> str:
    """Return the address of a development server on ``host``:``port`` (PUBLIC_BASE_URL's default).

    A server listening on every interface is reached on the loopback address.
    """
    if host in ("", "0.0.0.0", "::", "[::]"):
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"{'https' if https else 'http'}://{host}:{port}"


def default_public_base_url(host: str, port: int, *, https: bool = False) -> None:
    """Make PUBLIC_BASE_URL the development server's own address unless it is set already."""
    if not os.environ.get("PUBLIC_BASE_URL"):
        os.environ["PUBLIC_BASE_URL"] = local_base_url(host, port, https=https)


def load_config() -> dict:
    """Return the Flask configuration mapping built from the environment."""
    env = os.environ.get("LEVBIB_ENV", "development")
    is_production = env == "production"
    zone_name = _zone_name()
    return {
        "ENV_NAME": env,
        "SECRET_KEY": _secret_key(env),
        "DATABASE_URL": database_url(),
        "TIMEZONE": zone_name,
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "false").lower() == "true",
        "MAIL_FROM": os.environ.get("MAIL_FROM", "levande-bibliotek@region.example"),
        "COUNCIL_MAILBOX": os.environ.get("COUNCIL_MAILBOX", "radet@region.example"),
        "MAIL_OUTBOX": os.environ.get("MAIL_OUTBOX", ""),
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL") or local_base_url(),
        # Host names the service answers to; any other Host header gets 400 (unset: not checked).
        "TRUSTED_HOSTS": _list(os.environ.get("TRUSTED_HOSTS", "")) or None,
        # Reverse proxies in front of the app whose X-Forwarded-* headers are believed.
        "PROXY_COUNT": _count("PROXY_COUNT", os.environ.get("PROXY_COUNT", "0")),
        "BABEL_DEFAULT_LOCALE": "sv",
        "BABEL_DEFAULT_TIMEZONE": zone_name,
        "LANGUAGES": ["sv", "en"],
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": is_production
        or os.environ.get("SESSION_COOKIE_SECURE", "false").lower() == "true",
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=8),
        # No remember-me cookie is issued; should one ever be, it is locked down like the session.
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": is_production,
        "REMEMBER_COOKIE_DURATION": timedelta(hours=8),
        # Failed sign-ins per client address, and per account from any address.
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "LOGIN_ACCOUNT_RATE_LIMIT": os.environ.get("LOGIN_ACCOUNT_RATE_LIMIT", "10 per minute"),
        # The shortest time an invited member gets to answer; never past the first session's start.
        "INVITATION_MIN_ANSWER_HOURS": _hours(
            "INVITATION_MIN_ANSWER_HOURS", os.environ.get("INVITATION_MIN_ANSWER_HOURS", "2")
        ),
        "API_RATE_LIMIT": os.environ.get("API_RATE_LIMIT", "600 per minute"),
        # Largest request body in bytes: forms and uploads (a pool import, a 5 MB receipt) …
        "MAX_CONTENT_LENGTH": _count(
            "MAX_CONTENT_LENGTH", os.environ.get("MAX_CONTENT_LENGTH", str(16 * 1024 * 1024))
        ),
        # … and a JSON body of the API (a request with 20 sessions is a few kB). Larger: 413.
        "API_MAX_CONTENT_LENGTH": _count(
            "API_MAX_CONTENT_LENGTH", os.environ.get("API_MAX_CONTENT_LENGTH", str(1024 * 1024))
        ),
        "PRIVACY_CONTROLLER": os.environ.get("PRIVACY_CONTROLLER", ""),
        "PRIVACY_CONTACT": os.environ.get("PRIVACY_CONTACT", ""),
        "PASSWORD_RESET_RATE_LIMIT": os.environ.get("PASSWORD_RESET_RATE_LIMIT", "5 per minute"),
        # The public application (/apply): posts per client address, and the shortest time in
        # seconds between showing the form and sending it (faster is taken for a robot).
        "APPLICATION_RATE_LIMIT": os.environ.get("APPLICATION_RATE_LIMIT", "5 per hour"),
        "APPLICATION_MIN_SECONDS": _count(
            "APPLICATION_MIN_SECONDS", os.environ.get("APPLICATION_MIN_SECONDS", "5")
        ),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "lazymemory://"),
        "WTF_CSRF_TIME_LIMIT": 3600 * 8,
        # Build the matching index at start (with gunicorn --preload: once, shared by workers).
        "WARM_MATCHING_INDEX": os.environ.get("WARM_MATCHING_INDEX", "false").lower() == "true",
        # Requests of one process that run at once (0: no limit); app/concurrency.py.
        "ACTIVE_REQUESTS": _count(
            "WEB_ACTIVE_REQUESTS", os.environ.get("WEB_ACTIVE_REQUESTS", "0")
        ),
        # Cost of each answer in a Server-Timing header (the load benchmark; app/web/server_timing).
        "SERVER_TIMING": os.environ.get("SERVER_TIMING", "false").lower() == "true",
        **_job_settings(),
        **_compensation_settings(),
    }

"""Settings read from the environment, with safe defaults for the embedded (SQLite) set-up."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = PROJECT_ROOT / "instance"


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


def load_config() -> dict:
    """Return the Flask configuration mapping built from the environment."""
    env = os.environ.get("LEVBIB_ENV", "development")
    is_production = env == "production"
    return {
        "ENV_NAME": env,
        "SECRET_KEY": _secret_key(env),
        "DATABASE_URL": database_url(),
        "TIMEZONE": os.environ.get("TIMEZONE", "Europe/Stockholm"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "false").lower() == "true",
        "MAIL_FROM": os.environ.get("MAIL_FROM", "levande-bibliotek@region.example"),
        "COUNCIL_MAILBOX": os.environ.get("COUNCIL_MAILBOX", "radet@region.example"),
        "MAIL_OUTBOX": os.environ.get("MAIL_OUTBOX", ""),
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        "BABEL_DEFAULT_LOCALE": "sv",
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("TIMEZONE", "Europe/Stockholm"),
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
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "API_RATE_LIMIT": os.environ.get("API_RATE_LIMIT", "600 per minute"),
        "PRIVACY_CONTROLLER": os.environ.get("PRIVACY_CONTROLLER", ""),
        "PRIVACY_CONTACT": os.environ.get("PRIVACY_CONTACT", ""),
        "PASSWORD_RESET_RATE_LIMIT": os.environ.get("PASSWORD_RESET_RATE_LIMIT", "5 per minute"),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "WTF_CSRF_TIME_LIMIT": 3600 * 8,
        # Build the matching index at start (with gunicorn --preload: once, shared by workers).
        "WARM_MATCHING_INDEX": os.environ.get("WARM_MATCHING_INDEX", "false").lower() == "true",
    }

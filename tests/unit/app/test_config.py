import pytest

from app.config import ConfigError, load_config


def test_secret_key_is_generated_once_and_kept_in_instance(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("LEVBIB_INSTANCE", str(tmp_path))

    first = load_config()["SECRET_KEY"]
    second = load_config()["SECRET_KEY"]

    assert first == second
    assert len(first) == 64
    assert (tmp_path / "secret_key").read_text() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_production_refuses_to_start_without_a_real_secret(monkeypatch, tmp_path):
    monkeypatch.setenv("LEVBIB_INSTANCE", str(tmp_path))
    monkeypatch.setenv("LEVBIB_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)

    with pytest.raises(ConfigError):
        load_config()
    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(ConfigError):
        load_config()


def test_production_sets_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("LEVBIB_INSTANCE", str(tmp_path))
    monkeypatch.setenv("LEVBIB_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 40)

    config = load_config()

    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_database_url_defaults_to_sqlite_in_instance_and_accepts_postgres(monkeypatch, tmp_path):
    monkeypatch.setenv("LEVBIB_INSTANCE", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert load_config()["DATABASE_URL"] == f"sqlite:///{tmp_path / 'levbib.sqlite'}"

    monkeypatch.setenv("DATABASE_URL", "postgresql://u@h/db")
    assert load_config()["DATABASE_URL"] == "postgresql+psycopg://u@h/db"
    assert load_config()["TIMEZONE"] == "Europe/Stockholm"

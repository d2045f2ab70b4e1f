import pytest

from app.config import (
    DEFAULTS,
    HOURLY_RULES,
    PAYOUT_FREQUENCIES,
    ConfigError,
    fee_hourly_rule,
    load_config,
    payout_frequency,
    receipt_folder,
)
from app.jobs.settings import JobSettings, job_settings
from app.models.enums import PayoutFrequency
from app.services.compensation import fees


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


JOB_AND_FEE_VARIABLES = (*DEFAULTS, "RECEIPT_FOLDER")


def _clear(monkeypatch, tmp_path):
    monkeypatch.setenv("LEVBIB_INSTANCE", str(tmp_path))
    for name in JOB_AND_FEE_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_job_and_compensation_settings_have_typed_defaults(monkeypatch, tmp_path):
    _clear(monkeypatch, tmp_path)

    config = load_config()

    assert {name: config[name] for name in JOB_AND_FEE_VARIABLES} == {
        "TIMEZONE": "Europe/Stockholm",
        "REMINDER_DAYS": (7, 1),
        "SURVEY_DELAY_HOURS": 2.0,
        "CLAIM_REMINDER_DAYS": 5,
        "PAYOUT_FREQUENCY": "monthly",
        "REVIEW_MONTHS": 6,
        "REVIEW_REMINDER_DAYS": 14,
        "REVIEW_PAUSE_DAYS": 14,
        "RETENTION_DAYS": 90,
        "MANDATE_REMINDER_DAYS": 60,
        "SCHEDULER_SCAN_SECONDS": 600,
        "OUTBOX_DELIVERY_SECONDS": 60,
        "SCHEDULER_LEASE_SECONDS": 30,
        "FEE_HOURLY_RULE": "started",
        "RECEIPT_FOLDER": tmp_path / "receipts",
    }


def test_job_and_compensation_settings_are_read_from_the_environment(monkeypatch, tmp_path):
    _clear(monkeypatch, tmp_path)
    for name, value in {
        "TIMEZONE": "Asia/Tokyo",
        "REMINDER_DAYS": "3, 1",
        "SURVEY_DELAY_HOURS": "1.5",
        "CLAIM_REMINDER_DAYS": "4",
        "PAYOUT_FREQUENCY": "Quarterly",
        "REVIEW_MONTHS": "12",
        "REVIEW_REMINDER_DAYS": "7",
        "REVIEW_PAUSE_DAYS": "21",
        "RETENTION_DAYS": "30",
        "MANDATE_REMINDER_DAYS": "45",
        "SCHEDULER_SCAN_SECONDS": "120",
        "OUTBOX_DELIVERY_SECONDS": "15",
        "SCHEDULER_LEASE_SECONDS": "45",
        "FEE_HOURLY_RULE": "actual",
        "RECEIPT_FOLDER": str(tmp_path / "kvitton"),
    }.items():
        monkeypatch.setenv(name, value)

    config = load_config()

    assert job_settings(config) == JobSettings(
        reminder_days=(3, 1),
        survey_delay_hours=1.5,
        claim_reminder_days=4,
        payout_frequency="quarterly",
        review_months=12,
        review_reminder_days=7,
        review_pause_days=21,
        retention_days=30,
        mandate_reminder_days=45,
        scan_seconds=120,
        delivery_seconds=15,
        lease_seconds=45,
        timezone="Asia/Tokyo",
        receipt_folder=tmp_path / "kvitton",
    )
    assert (config["BABEL_DEFAULT_TIMEZONE"], fee_hourly_rule(config)) == ("Asia/Tokyo", "actual")
    assert (payout_frequency(config), receipt_folder(config)) == ("quarterly", tmp_path / "kvitton")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("TIMEZONE", "Mars/Olympus_Mons", "TIMEZONE must be an IANA time zone"),
        ("REMINDER_DAYS", "seven", "REMINDER_DAYS must be whole days"),
        ("REMINDER_DAYS", "7,-1", "REMINDER_DAYS must be whole days"),
        ("SURVEY_DELAY_HOURS", "soon", "SURVEY_DELAY_HOURS must be a number"),
        ("SCHEDULER_SCAN_SECONDS", "0", "SCHEDULER_SCAN_SECONDS must be at least 1"),
        ("RETENTION_DAYS", "1.5", "RETENTION_DAYS must be a whole number"),
        ("FEE_HOURLY_RULE", "sometimes", "FEE_HOURLY_RULE must be one of started, actual"),
        ("PAYOUT_FREQUENCY", "weekly", "PAYOUT_FREQUENCY must be one of monthly, quarterly"),
    ],
)
def test_a_setting_that_cannot_be_used_stops_the_start(monkeypatch, tmp_path, name, value, message):
    _clear(monkeypatch, tmp_path)
    monkeypatch.setenv(name, value)

    with pytest.raises(ConfigError, match=message):
        load_config()


def test_job_settings_read_the_config_mapping_only(monkeypatch):
    monkeypatch.setenv("REMINDER_DAYS", "3")
    monkeypatch.setenv("FEE_HOURLY_RULE", "actual")

    assert job_settings({}) == JobSettings()
    assert job_settings({"REMINDER_DAYS": "2,1", "SCHEDULER_SCAN_SECONDS": "5"}) == JobSettings(
        reminder_days=(2, 1), scan_seconds=5
    )
    assert fee_hourly_rule({}) == "started"


def test_the_config_choices_are_those_of_the_fee_engine_and_the_payouts():
    assert (HOURLY_RULES, PAYOUT_FREQUENCIES) == (
        fees.HOURLY_RULES,
        tuple(frequency.value for frequency in PayoutFrequency),
    )


def test_body_size_limits_default_to_16_and_1_mb_and_are_read_from_the_environment(
    monkeypatch, tmp_path
):
    _clear(monkeypatch, tmp_path)
    monkeypatch.delenv("MAX_CONTENT_LENGTH", raising=False)
    monkeypatch.delenv("API_MAX_CONTENT_LENGTH", raising=False)
    defaults = load_config()
    monkeypatch.setenv("MAX_CONTENT_LENGTH", "2000000")
    monkeypatch.setenv("API_MAX_CONTENT_LENGTH", "50000")
    changed = load_config()
    monkeypatch.setenv("API_MAX_CONTENT_LENGTH", "1 MB")

    with pytest.raises(ConfigError, match="API_MAX_CONTENT_LENGTH must be a whole number"):
        load_config()
    assert (defaults["MAX_CONTENT_LENGTH"], defaults["API_MAX_CONTENT_LENGTH"]) == (
        16 * 1024 * 1024,
        1024 * 1024,
    )
    assert (changed["MAX_CONTENT_LENGTH"], changed["API_MAX_CONTENT_LENGTH"]) == (2000000, 50000)


def test_requests_at_once_per_process_from_the_environment(monkeypatch, tmp_path):
    from app.config import ConfigError

    monkeypatch.setenv("LEVBIB_INSTANCE", str(tmp_path))
    monkeypatch.delenv("WEB_ACTIVE_REQUESTS", raising=False)
    assert load_config()["ACTIVE_REQUESTS"] == 0
    monkeypatch.setenv("WEB_ACTIVE_REQUESTS", "4")
    assert load_config()["ACTIVE_REQUESTS"] == 4
    monkeypatch.setenv("WEB_ACTIVE_REQUESTS", "four")
    with pytest.raises(ConfigError, match="WEB_ACTIVE_REQUESTS"):
        load_config()


def test_the_app_is_wrapped_in_the_limit_when_it_is_set(app_config):
    from app import create_app
    from app.concurrency import ActiveRequests

    def layers(app):
        found, layer = [], app.wsgi_app
        while layer is not None:
            found.append(layer)
            layer = getattr(layer, "wsgi_app", None)
        return found

    limited = create_app({**app_config, "ACTIVE_REQUESTS": 3})
    assert [w.limit for w in layers(limited) if isinstance(w, ActiveRequests)] == [3]
    plain = create_app({**app_config, "ACTIVE_REQUESTS": 0})
    assert not any(isinstance(w, ActiveRequests) for w in layers(plain))

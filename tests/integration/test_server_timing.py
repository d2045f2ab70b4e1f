"""SERVER_TIMING=true: each answer says what it cost (the load benchmark reads it)."""

import re

from app import create_app
from app.models.enums import Role
from tests.conftest import login

HEADER = re.compile(
    r"^app;dur=(\d+\.\d), cpu;dur=(\d+\.\d), sql;dur=(\d+\.\d), turn;dur=(\d+\.\d), "
    r'queries;desc="(\d+)"$'
)


def test_server_timing_header_gives_wall_cpu_sql_and_statements(app_config, factory):
    app = create_app({**app_config, "SERVER_TIMING": True})
    client = app.test_client()
    orderer = factory.user(Role.ORDERER)
    factory.booking_request(orderer)
    login(client, orderer.email)

    answer = client.get("/orders/")
    found = HEADER.match(answer.headers["Server-Timing"])

    assert answer.status_code == 200
    assert found, answer.headers["Server-Timing"]
    wall, cpu, sql, turn, statements = found.groups()
    assert float(wall) >= float(sql) > 0
    assert float(turn) == 0  # no limit on requests at once in this app
    assert float(cpu) > 0
    assert int(statements) >= 5  # the user, the organisation, the count, the page, its sessions


def test_no_server_timing_header_by_default(client):
    assert "Server-Timing" not in client.get("/login").headers

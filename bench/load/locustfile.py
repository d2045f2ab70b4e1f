"""Simulated users of the three roles for the load benchmark (run by bench/bench_load.py).

Each user signs in through the real form (CSRF token and all) and then clicks around its main
pages and calls the API with its role's token, waiting 1–3 s between steps like a person (or a
polite integration) would.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import sys
import time
from collections import defaultdict

import gevent.event
from locust import FastHttpUser, between, constant, events, task

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from results import cores_used, cpu_seconds_by_group  # noqa: E402  (bench/load/results.py)

SIGNED_IN = itertools.count(1)
#: Set once the last simulated person has signed in (locust's users are gevent greenlets).
EVERYONE_IN = gevent.event.Event()
USERS = int(os.environ.get("BENCH_USERS", "0"))
SIGN_IN_STATS = os.environ.get("BENCH_SIGN_IN_STATS", "")
PASSWORD = os.environ["BENCH_PASSWORD"]
ACCOUNTS = json.loads(os.environ["BENCH_ACCOUNTS"])  # role → [{"email", "token"}]
NEXT = {role: itertools.count() for role in ACCOUNTS}
MEMBERS = int(os.environ.get("BENCH_MEMBERS", "10000"))
PROPOSALS = os.environ.get("BENCH_PROPOSALS", "1") == "1"
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
SERVER_STATS = os.environ.get("BENCH_SERVER_STATS", "")
SIGN_IN_BURST = int(os.environ.get("BENCH_SIGN_IN_BURST", "0"))
TIMING = re.compile(r'(\w+);(?:dur=([\d.]+)|desc="(\d+)")')
#: Per request name: the server's own figures from its Server-Timing header (SERVER_TIMING=true).
SERVER: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
SIGN_IN_SERVER: dict[str, list[float]] = {}
#: Seconds a person waits between steps (``--think-time``); 0 0 measures saturation.
THINK = tuple(float(part) for part in os.environ.get("BENCH_THINK_TIME", "1 3").split())


@events.request.add_listener
def _server_timing(name, response=None, **_kwargs) -> None:
    """Keep the Server-Timing figures (app, cpu, sql ms; queries) of every answer by name."""
    header = response.headers.get("Server-Timing") if response is not None else None
    if not header:
        return
    figures = SERVER[name]
    for metric, duration, count in TIMING.findall(header):
        figures[metric].append(float(duration or count))


#: CPU seconds per process group and the clock when the steady state began.
STEADY_START: dict = {}


@events.test_stop.add_listener
def _cpu_at_the_end(**_kwargs) -> None:
    if STEADY_START:
        seconds = time.monotonic() - STEADY_START["at"]
        STEADY_START["cores"] = cores_used(STEADY_START["cpu"], cpu_seconds_by_group(), seconds)


@events.quitting.add_listener
def _write_server_stats(**_kwargs) -> None:
    if SERVER_STATS:
        with open(SERVER_STATS, "w") as out:
            cores = STEADY_START.get("cores", {})
            json.dump({"pages": SERVER, "sign_in": SIGN_IN_SERVER, "cores": cores}, out)


class Person(FastHttpUser):
    abstract = True
    wait_time = between(*THINK)
    role = ""

    def on_start(self) -> None:
        pool = ACCOUNTS[self.role]
        account = pool[next(NEXT[self.role]) % len(pool)]
        page = self.client.get("/login", name="GET /login")
        token = CSRF.search(page.text).group(1)
        self.client.post(
            "/login",
            data={"email": account["email"], "password": PASSWORD, "csrf_token": token},
            name="POST /login",
        )
        self.api = {"Authorization": f"Bearer {account['token']}"}
        self.request_ids = (
            [
                item["id"]
                for item in self.client.get(
                    "/api/v1/requests?only_open=true",
                    headers=self.api,
                    name="API GET /requests?only_open",
                )
                .json()
                .get("items", [])
            ]
            if self.role != "member"
            else []
        )
        if next(SIGNED_IN) == USERS:
            self._start_steady_state()
            EVERYONE_IN.set()
        elif THINK == (0.0, 0.0):
            # Without pauses the first people in would keep the server saturated while the
            # others still wait to sign in; start together, as the steady state is measured.
            EVERYONE_IN.wait()
            # The wait can outlast gunicorn's keep-alive (5 s): a request sent just as the server
            # closes the idle connection fails with "connection closed" and is not retried for a
            # POST. Start the measured part on fresh connections (the cookies stay).
            self.client.client.close()

    def _start_steady_state(self) -> None:
        """Everyone has signed in: keep the sign-in figures aside and measure from now on."""
        stats = self.environment.runner.stats
        entry = stats.get("POST /login", "POST")
        if SIGN_IN_STATS:
            with open(SIGN_IN_STATS, "w") as out:
                json.dump(
                    {
                        "count": entry.num_requests,
                        "errors": entry.num_failures,
                        "p50": entry.get_response_time_percentile(0.5),
                        "p95": entry.get_response_time_percentile(0.95),
                        "p99": entry.get_response_time_percentile(0.99),
                    },
                    out,
                )
        stats.reset_all()
        SIGN_IN_SERVER.update(SERVER.get("POST /login", {}))
        SERVER.clear()
        STEADY_START.update(at=time.monotonic(), cpu=cpu_seconds_by_group())


class Council(Person):
    weight = 1
    role = "council"

    @task(3)
    def overview(self):
        self.client.get("/council/", name="GET /council/")

    @task(1)
    def pool_list(self):
        self.client.get("/council/pool", name="GET /council/pool")

    @task(1)
    def request_page(self):
        if self.request_ids and PROPOSALS:
            rid = random.choice(self.request_ids)
            self.client.get(f"/council/requests/{rid}", name="GET /council/requests/[id]")

    @task(3)
    def member_page(self):
        mid = random.randint(1, MEMBERS)
        self.client.get(f"/council/members/{mid}", name="GET /council/members/[id]")

    @task(2)
    def api_list(self):
        self.client.get("/api/v1/requests", headers=self.api, name="API GET /requests")

    @task(1)
    def api_proposal(self):
        if self.request_ids and PROPOSALS:
            rid = random.choice(self.request_ids)
            self.client.get(
                f"/api/v1/requests/{rid}/proposal",
                headers=self.api,
                name="API GET /requests/[id]/proposal",
            )


class Orderer(Person):
    weight = 2
    role = "orderer"

    @task(3)
    def overview(self):
        self.client.get("/orders/", name="GET /orders/")

    @task(1)
    def form(self):
        self.client.get("/orders/new", name="GET /orders/new")

    @task(2)
    def api_read(self):
        if self.request_ids:
            rid = random.choice(self.request_ids)
            self.client.get(
                f"/api/v1/requests/{rid}", headers=self.api, name="API GET /requests/[id]"
            )
            self.client.get(f"/orders/{rid}", name="GET /orders/[id]")

    @task(1)
    def api_create(self):
        body = {
            "title": "Load test request",
            "purpose": "Benchmark",
            "expectations": "Nothing",
            "participation": "dialogue",
            "assignment_type": "education",
            "area_ids": [int(os.environ.get("BENCH_AREA_ID", "1"))],
            "people_count": 2,
            "sessions": [
                {"starts_at": "2030-05-04T09:00:00+02:00", "ends_at": "2030-05-04T11:00:00+02:00"}
            ],
            "format": "digital",
            "contact_name": "Bench",
        }
        self.client.post("/api/v1/requests", json=body, headers=self.api, name="API POST /requests")


class PoolMember(Person):
    weight = 2
    role = "member"

    @task(3)
    def profile(self):
        self.client.get("/me/", name="GET /me/")

    @task(2)
    def calendar(self):
        self.client.get("/me/calendar/", name="GET /me/calendar/")

    @task(2)
    def api_availability(self):
        self.client.get(
            "/api/v1/me/availability", headers=self.api, name="API GET /me/availability"
        )

    @task(1)
    def block_a_day(self):
        """Block a day and free it again: each change reaches the council's kept matching index."""
        day = f"2031-{random.randint(1, 12):02d}-{random.randint(1, 28):02d}"
        created = self.client.post(
            "/api/v1/me/availability/periods",
            json={"start_date": day, "end_date": day, "kind": "blocked"},
            headers=self.api,
            name="API POST /me/availability/periods",
        )
        if created.status_code == 201:
            self.client.delete(
                f"/api/v1/me/availability/periods/{created.json()['period']['id']}",
                headers=self.api,
                name="API DELETE /me/availability/periods/[id]",
            )


class SignInBurst(FastHttpUser):
    """People signing in over and over while the others work (``--sign-in-burst N``): argon2
    on purpose, so the pages' figures show whether hashing starves them."""

    abstract = SIGN_IN_BURST == 0
    fixed_count = SIGN_IN_BURST
    wait_time = constant(0)

    def on_start(self) -> None:
        self.accounts = itertools.cycle(ACCOUNTS["member"])

    @task
    def sign_in(self):
        page = self.client.get("/login", name="GET /login (burst)")
        token = CSRF.search(page.text).group(1)
        self.client.post(
            "/login",
            data={"email": next(self.accounts)["email"], "password": PASSWORD, "csrf_token": token},
            name="POST /login (burst)",
        )
        self.client.cookiejar.clear()

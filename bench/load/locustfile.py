"""Locust users for ``bench/load_run.py``: logged-in personas browsing the dashboard pages.

Not run on its own: the runner logs the personas in, writes their session cookies and the pages
each may see to the JSON file named by ``LINDUNG_LOAD_PLAN``, and starts Locust headless with
this file. Each simulated user takes the next persona in turn (leader, admin, operator, ...),
then keeps opening one of that persona's pages, chosen at random with the plan's weights (a
page such as ``/dasbor/?wilayah={desa}`` stands for many paths: one is drawn each time, and the
statistics are kept under the page's name), waiting ``LINDUNG_LOAD_THINK`` seconds ("1-3";
"0" = no pause) between pages as a person reading a dashboard does.

A request counts as an error unless it answers 200 without redirect (a redirect to the login
page would otherwise pass as a fast success). Requests are named by page, so Locust's
statistics are per page; the ``X-Forwarded-Proto: https`` header stands for the TLS proxy in
front of the app in production (secure cookies, no HTTPS redirect). Every request's time is
also written to ``LINDUNG_LOAD_LOG`` (CSV) when set.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from pathlib import Path

from locust import FastHttpUser, between, constant, events, task

PLAN = json.loads(Path(os.environ["LINDUNG_LOAD_PLAN"]).read_text())
_next_persona = itertools.cycle(PLAN["personas"])
#: (seconds since start, page, ms) of every request, written to ``LINDUNG_LOAD_LOG`` at the end
#: so that slow answers can be placed in time (a stall of the machine slows every page at once)
_log: list[tuple[float, str, float]] = []


@events.request.add_listener
def _record(request_type, name, response_time, **kwargs) -> None:  # type: ignore[no-untyped-def]
    _log.append((time.monotonic(), name, response_time))


@events.quitting.add_listener
def _write_log(**kwargs) -> None:  # type: ignore[no-untyped-def]
    target = os.environ.get("LINDUNG_LOAD_LOG")
    if target and _log:
        start = _log[0][0]
        lines = [f"{at - start:.3f},{name},{ms:.1f}" for at, name, ms in _log]
        Path(target).write_text("seconds,page,ms\n" + "\n".join(lines) + "\n")


def _think():  # type: ignore[no-untyped-def]
    text = os.environ.get("LINDUNG_LOAD_THINK", "1-3")
    low, _, high = text.partition("-")
    return constant(float(low)) if not high else between(float(low), float(high))


class Persona(FastHttpUser):
    wait_time = _think()

    def on_start(self) -> None:
        persona = next(_next_persona)
        self.username = persona["username"]
        self.pages = persona["pages"]
        self.weights = [page["weight"] for page in persona["pages"]]
        self.headers = {"Cookie": persona["cookie"], "X-Forwarded-Proto": "https"}

    @task
    def open_page(self) -> None:
        page = random.choices(self.pages, self.weights)[0]
        path = random.choice(page["paths"])
        with self.client.get(
            path,
            headers=self.headers,
            name=page["name"],
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{self.username} {path}: HTTP {response.status_code}")

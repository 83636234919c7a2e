"""The load mix of benchmarks/load.py, for locust. Loopback only; the plan file names the targets.

Each simulated person makes about 0.3 requests a second (constant pacing of 3.3 s):
(locust's FastHttpUser: the same requests for less client CPU, which shares the machine)
interviewers reading their kit and autosaving a draft, hiring managers on the debrief and round
two, candidates on their private pages, and API readers.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from pathlib import Path
from typing import Any

import gevent
from locust import constant_pacing, events, task
from locust.contrib.fasthttp import FastHttpUser
from locust.env import Environment

from _forms import FormFields

PLAN: dict[str, Any] = json.loads(Path(os.environ["SECONDROUND_LOAD_PLAN"]).read_text("utf-8"))
PACING = constant_pacing(float(os.environ.get("SECONDROUND_LOAD_PACING", "3.3")))
SETTLE = float(os.environ.get("SECONDROUND_LOAD_SETTLE", "0"))
_turns = itertools.count()


@events.init.add_listener
def _measure_after_settling(environment: Environment, **_kwargs: Any) -> None:
    """Count only the steady state: once everyone has started and the log-ins have drained.

    A log-in costs about 0.3 CPU s (Django's password hashing, slow by design), so the last
    people's log-ins still queue when the last person starts; SETTLE seconds later they have not.
    """

    def reset_later(**_event: Any) -> None:
        if environment.runner is not None:
            gevent.spawn_later(SETTLE, environment.runner.stats.reset_all)

    environment.events.spawning_complete.add_listener(reset_later)


def _pick(rows: list[Any]) -> Any:
    return rows[next(_turns) % len(rows)]


def _log_in(user: FastHttpUser, email: str) -> None:
    page = user.client.get("/accounts/login/", name="login page")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    user.client.post(
        "/accounts/login/",
        {
            "username": email,
            "password": PLAN["password"],
            "csrfmiddlewaretoken": token.group(1) if token else "",
        },
        name="log in",
    )


class Interviewer(FastHttpUser):
    """Opens their scorecard once, then autosaves while typing and now and then reads the kit."""

    weight = 4
    wait_time = PACING

    def on_start(self) -> None:
        self.target = _pick(PLAN["interviewers"])
        _log_in(self, self.target["email"])
        page = self.client.get(self.target["scorecard"], name="scorecard")
        fields = FormFields()
        fields.feed(page.text)
        self.form = {**fields.fields, "action": "draft"}

    @task(1)
    def read_kit(self) -> None:
        self.client.get(self.target["kit"], name="kit")

    @task(3)
    def autosave(self) -> None:
        data = dict(self.form)
        for name in data:
            if name.endswith("notes"):
                data[name] = f"{data[name][:200]} note {next(_turns)}".strip()
        headers = {"HX-Request": "true", "X-CSRFToken": data.get("csrfmiddlewaretoken", "")}
        self.client.post(self.target["scorecard"], data, headers=headers, name="scorecard autosave")


class HiringManager(FastHttpUser):
    weight = 2
    wait_time = PACING

    def on_start(self) -> None:
        self.target = _pick(PLAN["managers"])
        _log_in(self, self.target["email"])

    @task(2)
    def debrief(self) -> None:
        self.client.get(self.target["debrief"], name="debrief")

    @task(1)
    def round_two(self) -> None:
        self.client.get(self.target["round_two"], name="round two")


class Candidate(FastHttpUser):
    weight = 3
    wait_time = PACING

    def on_start(self) -> None:
        self.link = _pick(PLAN["candidate_links"])

    @task
    def private_page(self) -> None:
        self.client.get(self.link, name="candidate private page")


class ApiReader(FastHttpUser):
    weight = 1
    wait_time = PACING

    def on_start(self) -> None:
        self.auth = {"Authorization": f"Bearer {_pick(PLAN['api_keys'])}"}

    @task(2)
    def applications(self) -> None:
        self.client.get(PLAN["api_applications"], headers=self.auth, name="api applications")

    @task(1)
    def debrief(self) -> None:
        self.client.get(PLAN["api_debrief"], headers=self.auth, name="api debrief")

"""The load generator of ``manage.py bench``: Locust, run as a library in a process of its own.

It knows nothing of Django. It reads a plan (JSON) naming the server, the logged-in sessions
and the phases, runs each phase in turn with a fresh set of simulated users, and writes one
JSON document with the figures of every phase:

    python -m benchmark.load plan.json results.json

A *page* phase has every user request one URL over and over with no pause between requests,
so requests per second is the server's throughput for that page. A *pair* phase has one user
request a page and the admin changelist it is compared with in turn, so the two are measured
side by side under the same conditions of the machine. A *write* phase has each
user go through a form the way a person does — log an incident page by page, or save a
section of their audit return — with a pause between submissions (``think_time``).
"""

import json
import re
import sys
import time

import gevent
from locust import HttpUser, between, constant, task
from locust.env import Environment
from requests import Session

PERCENTILES = (0.5, 0.95)


class PortalUser(HttpUser):
    """A logged-in person: the session comes from the plan, the CSRF token is our own."""

    abstract = True
    wait_time = constant(0)
    sessions: list = []
    phase: dict = {}
    _next = 0

    def on_start(self):
        cls = type(self)
        self.person = cls.sessions[cls._next % len(cls.sessions)]
        cls._next += 1
        self.client.headers.update(
            {
                "Cookie": f"sessionid={self.person['session']}; csrftoken={self.person['csrf']}",
                "X-CSRFToken": self.person["csrf"],
                "Referer": self.host,
            }
        )

    def post_form(self, path, data, name):
        with self.client.post(path, data=data, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"expected a redirect after saving, got {response.status_code}")
            return response.headers.get("Location", "")

    def get_page(self, url, name, headers=None):
        with self.client.get(url, name=name, headers=headers, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")


class PageUser(PortalUser):
    abstract = False

    @task
    def page(self):
        self.get_page(self.phase["url"], self.phase["name"])


class PairUser(PortalUser):
    """A page, then the admin changelist of the same model as the administrator, and again."""

    abstract = False

    @task
    def pair(self):
        self.get_page(self.phase["url"], self.phase["name"])
        admin = self.phase["admin_person"]
        self.get_page(
            self.phase["admin_url"],
            self.phase["admin_name"],
            headers={"Cookie": f"sessionid={admin['session']}; csrftoken={admin['csrf']}"},
        )


class IncidentUser(PortalUser):
    """A member of staff logging an incident through every page of the guided form."""

    abstract = False

    @task
    def log_incident(self):
        location = self.post_form("/incidents/new/", {"agency": self.person["agency"]}, "incident: start")
        match = re.search(r"/incidents/(\d+)/", location)
        if not match:
            return
        for page, data in self.phase["pages"]:
            self.wait()
            location = self.post_form(f"/incidents/{match[1]}/report/{page}/", data, f"incident: {page}")
            if not location:
                return
        self.wait()


class AnswersUser(PortalUser):
    """A champion saving a page of their audit return again and again."""

    abstract = False

    def on_start(self):
        super().on_start()
        self.version = self.person["version"]

    @task
    def save_section(self):
        data = {"version": self.version, "go": "stay", **self.person["answers"]}
        location = self.post_form(self.person["section_url"], data, "audit: save a section")
        if location.endswith(self.person["section_url"]):
            self.version += 1


USER_CLASSES = {"page": PageUser, "pair": PairUser, "incident": IncidentUser, "answers": AnswersUser}


def run_phase(host: str, phase: dict, sessions: list) -> dict:
    user_class = USER_CLASSES[phase["kind"]]
    user_class.sessions = sessions
    user_class.phase = phase
    user_class._next = 0
    think = phase.get("think_time")
    user_class.wait_time = between(*think) if think else constant(0)
    environment = Environment(user_classes=[user_class], host=host)
    runner = environment.create_local_runner()
    runner.start(phase["users"], spawn_rate=phase["users"])
    gevent.sleep(phase["warmup"])
    environment.stats.reset_all()
    started = time.monotonic()
    gevent.sleep(phase["seconds"])
    elapsed = time.monotonic() - started
    entries = {
        name: environment.stats.get(name, method)
        for (name, method) in list(environment.stats.entries)
        if environment.stats.entries[(name, method)].num_requests
    }
    runner.quit()
    return {
        name: {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "median_ms": entry.get_response_time_percentile(PERCENTILES[0]),
            "p95_ms": entry.get_response_time_percentile(PERCENTILES[1]),
            "requests_per_second": round(entry.num_requests / elapsed, 1),
        }
        for name, entry in entries.items()
    }


def warm_up(plan: dict) -> None:
    """Every page a few times per server worker first, so no phase pays for a cold worker."""
    for target in plan["warm"]:
        person = plan["sessions"][target["as"]][0]
        with Session() as session:
            session.headers["Cookie"] = f"sessionid={person['session']}; csrftoken={person['csrf']}"
            for _ in range(plan["warm_requests"]):
                session.get(plan["host"] + target["url"], allow_redirects=False, timeout=60)


def main(plan_path: str, results_path: str) -> None:
    with open(plan_path) as handle:
        plan = json.load(handle)
    warm_up(plan)
    results = []
    for phase in plan["phases"]:
        results.append({**phase, "results": run_phase(plan["host"], phase, plan["sessions"][phase["as"]])})
        print(f"  {phase['label']}", file=sys.stderr, flush=True)
    with open(results_path, "w") as handle:
        json.dump(results, handle)


if __name__ == "__main__":
    main(*sys.argv[1:3])

"""200 children complete the pre-review chat at the same time (run by bench/load.py).

Each simulated child is one of the enrolled children in ``BENCH_CHILDREN`` (a JSON list from
bench/seed.py): already signed in on their phone, as after opening their invite link. They
open the chat, answer every question (a tap, a tick and Done, or a few typed words), think for
``BENCH_THINK`` seconds between taps, check their answers and send, like the real pages: plain
form posts with the CSRF token, redirects not followed, so each request is timed on its own.
When every child has sent, the run stops.
"""

from __future__ import annotations

import json
import os
import re

import gevent
from locust import HttpUser, between, events, task
from locust.exception import StopUser

with open(os.environ["BENCH_CHILDREN"], encoding="utf-8") as _source:
    CHILDREN: list[dict[str, str]] = json.load(_source)
THINK = [float(x) for x in os.environ.get("BENCH_THINK", "1,3").split(",")]
EXPECTED = len(CHILDREN)
SENT: list[str] = []
FAILED: list[str] = []


def _field(html: str, name: str) -> str | None:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    return found.group(1) if found else None


class Child(HttpUser):
    wait_time = between(*THINK)

    def on_start(self) -> None:
        self.me = CHILDREN.pop()
        for part in self.me["cookie"].split("; "):
            name, value = part.split("=", 1)
            self.client.cookies.set(name, value, domain="127.0.0.1", path="/")
        self.answered = 0

    @task
    def take_a_turn(self) -> None:
        chat = self.me["conversation"]
        page = self.client.get(chat, name="GET chat page")
        node = _field(page.text, "node")
        if node is None:
            self._review_and_send(chat)
            return
        form = {
            "csrf_token": _field(page.text, "csrf_token"),
            "node": node,
            "version": _field(page.text, "version"),
            "action": "answer",
        }
        answer = _field(page.text, "answer")
        form["answer"] = answer if answer is not None else "I'd like to see my brother more."
        with self.client.post(
            chat, data=form, name="POST answer", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"answer gave {response.status_code}")
        self.answered += 1

    def _review_and_send(self, chat: str) -> None:
        review = self.client.get(f"{chat}/review", name="GET review")
        form = {"csrf_token": _field(review.text, "csrf_token"), "action": "send"}
        with self.client.post(
            f"{chat}/review", data=form, name="POST send", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code == 302 and "/sent" in response.headers.get("Location", ""):
                SENT.append(self.me["ref"])
                self.client.get(response.headers["Location"], name="GET sent page")
            else:
                response.failure(f"send gave {response.status_code}")
                FAILED.append(self.me["ref"])
        if len(SENT) + len(FAILED) >= EXPECTED:
            gevent.spawn_later(3, self.environment.runner.quit)  # the last child is done; let stats settle
        raise StopUser()


@events.quitting.add_listener
def _report(environment, **_kwargs) -> None:
    path = os.environ.get("BENCH_SENT")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            json.dump({"sent": SENT, "failed": FAILED}, out)

"""The conversation engine: runs an authored flow one answer at a time.

Pure functions over a plain, JSON-serialisable state dict. No Flask, no
database, no request: the web layer loads the state, calls one function here,
stores the state it gets back, and redirects. The same functions serve the
CLI and tests.

The state (``FORMAT`` 1)::

    {
      "format": 1,
      "flow": "pre-review",         # flow id
      "flow_version": 3,            # the content version the conversation is pinned to
      "current": "home-feel",       # question being asked, or the end node when finished
      "path": ["welcome", ..., "home-feel"],   # visible nodes from the start to current
      "answers": {"school-feel": {"value": "4", "skipped": false}, ...},
      "parked":  {"home-better": {"value": "…", "skipped": false}},
    }

How it moves:

* Message nodes are passed through automatically; their words appear in the
  transcript. Branch nodes are invisible and pick the next node from answers
  already given (see ``voice.content.flows`` for the YAML). The walk stops at
  the first question without an answer, or at the end node.
* ``answers`` holds every answer on the route the conversation takes now, and
  ``path`` and ``current`` are worked out again from it after every change. So
  an edit to an earlier answer simply re-walks the flow: answers still on the
  route are kept, and answers to questions that are no longer on it move to
  ``parked``. Nothing the child typed is silently thrown away. If a later edit
  puts a parked question back on the route, its answer comes back with it.
* ``go_back`` steps ``current`` back to the previous question, keeping every
  answer. Answering it again (changed or not) carries on to the first
  question that still has no answer, so the child isn't made to re-answer
  questions they have already done; those stay editable from the review page.
* Every question can be skipped. A skip is stored as ``{"value": None,
  "skipped": True}`` and counts as done.

Forms that arrive out of step (a second tab, the browser's Back button, a
double tap) are handled by node id: a post for the current question is an
answer; a post for a question already answered on the route is an edit (and a
no-op if nothing changed, so a double post is harmless); anything else gets the
``stale`` error and the state is left exactly as it was.

Functions never modify the state passed in; they return a new one.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from voice.chat.answers import AnswerError, get_handler
from voice.content.flows import Condition, Flow, FlowError, Node

FORMAT = 1

State = dict[str, Any]
Entry = dict[str, Any]


@dataclass(frozen=True)
class Outcome:
    """The result of an answer or a skip: the new state, or the old state and an error."""

    state: State
    error: AnswerError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class Turn:
    """One chat bubble. ``kind`` is ``"bot"`` or ``"child"``.

    A skipped answer is a child turn with ``skipped=True`` and empty ``text``: the
    template says "You skipped this" in the child's language. ``icons`` are picture
    names: the node's icon for a bot turn, the chosen options' icons for a child turn.
    """

    kind: str
    node_id: str
    text: str
    rights: tuple[str, ...] = ()
    skipped: bool = False
    icons: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReviewItem:
    """One answer, as shown on the review-before-send page and to staff."""

    node_id: str
    topic: str | None
    question: str
    answer: str
    skipped: bool
    answer_type: str
    value: Any


STALE = AnswerError.of("stale")


def begin(flow: Flow) -> State:
    """A new conversation, already moved on past the opening messages."""
    return _settle(flow, {}, {}, stop_at=None)


def current_node(flow: Flow, state: State) -> Node | None:
    """The question being asked, or the end node once finished."""
    return flow.get(_normalise(flow, state)["current"])


def submit_answer(flow: Flow, state: State, node_id: str, values: list[str]) -> Outcome:
    """Answer (or edit the answer to) question ``node_id`` with the raw form ``values``."""
    norm = _normalise(flow, state)
    route = _route(flow, norm, node_id)
    if route is None:
        return Outcome(state, STALE)
    node = flow.node(node_id)
    parsed = get_handler(node.answer or "").parse(node, values)
    if isinstance(parsed, AnswerError):
        return Outcome(state, parsed)
    return _record(flow, norm, node_id, {"value": parsed.value, "skipped": False}, route)


def skip(flow: Flow, state: State, node_id: str) -> Outcome:
    """Skip question ``node_id``. Any question can be skipped, including as an edit."""
    norm = _normalise(flow, state)
    route = _route(flow, norm, node_id)
    if route is None:
        return Outcome(state, STALE)
    return _record(flow, norm, node_id, {"value": None, "skipped": True}, route)


def go_back(flow: Flow, state: State) -> State:
    """Step back to the previous question, keeping every answer. At the first
    question there is nowhere to go, and the state comes back unchanged."""
    norm = _normalise(flow, state)
    earlier = [node_id for node_id in norm["path"][:-1] if flow.node(node_id).is_question]
    if not earlier:
        return norm
    return _settle(flow, norm["answers"], norm["parked"], stop_at=earlier[-1])


def is_finished(flow: Flow, state: State) -> bool:
    node = current_node(flow, state)
    return node is not None and node.type == "end"


def transcript(flow: Flow, state: State) -> list[Turn]:
    """The chat so far, as bubbles: bot words for every message and question on the
    path, and the child's answer after each question they have answered."""
    norm = _normalise(flow, state)
    turns = []
    for node_id in norm["path"]:
        node = flow.node(node_id)
        turns.append(Turn("bot", node_id, node.text or "", node.rights, icons=_icons(node.icon)))
        if node.is_question and node_id != norm["current"]:
            turns.append(_child_turn(node, norm["answers"][node_id]))
    return turns


def progress(flow: Flow, state: State) -> tuple[int, int]:
    """``(done, total)``: questions answered or skipped so far, and an estimate of all
    the questions this conversation will have.

    ``total`` counts the longest route still possible from here, so it is an upper
    estimate that only shrinks as branches are passed by. Moving forward, ``done``
    goes up and ``total`` never does, so a bar drawn from ``done / total`` never
    goes backwards (it may jump forward when a branch is skipped over). Show it as a
    bar, not as "question 4 of 30".
    """
    norm = _normalise(flow, state)
    done = sum(1 for node_id in norm["path"][:-1] if flow.node(node_id).is_question)
    return done, done + _longest_remaining(flow, norm["current"])


def review_items(flow: Flow, state: State) -> list[ReviewItem]:
    """Every answer on the conversation's route, in order, for review before sending."""
    norm = _normalise(flow, state)
    full, _ = _walk(flow, norm["answers"])
    return [
        _review_item(flow.node(node_id), norm["answers"][node_id])
        for node_id in full
        if node_id in norm["answers"]
    ]


def parked_items(flow: Flow, state: State) -> list[ReviewItem]:
    """Answers to questions no longer on the route (after an earlier answer changed),
    in flow order. They are not part of what is sent unless the web layer chooses to
    offer them; they are kept so the child's words are never silently lost."""
    norm = _normalise(flow, state)
    return [_review_item(node, norm["parked"][node.id]) for node in flow.nodes if node.id in norm["parked"]]


def prefill_values(flow: Flow, state: State, node_id: str) -> list[str]:
    """Form values to pre-fill question ``node_id`` with, from an answer given earlier
    (after going back, or a parked answer). Empty when there is none or it was skipped."""
    norm = _normalise(flow, state)
    entry = norm["answers"].get(node_id) or norm["parked"].get(node_id)
    node = flow.get(node_id)
    if entry is None or entry["skipped"] or node is None or not node.is_question:
        return []
    return get_handler(node.answer or "").form_values(entry["value"])


# --------------------------------------------------------------------------- internals


def _route(flow: Flow, norm: State, node_id: str) -> str | None:
    """How to treat a post for ``node_id``: ``"current"``, ``"edit"`` or None (stale)."""
    node = flow.get(node_id)
    if node is None or not node.is_question:
        return None
    if node_id == norm["current"]:
        return "current"
    if node_id in norm["answers"]:
        return "edit"
    return None


def _record(flow: Flow, norm: State, node_id: str, entry: Entry, route: str) -> Outcome:
    if route == "edit" and norm["answers"][node_id] == entry:
        return Outcome(norm)  # a double post or an unchanged edit: nothing to do
    answers = {**norm["answers"], node_id: entry}
    return Outcome(_settle(flow, answers, norm["parked"], stop_at=None))


def _normalise(flow: Flow, state: State) -> State:
    """A fresh, consistent copy of ``state``: path and current re-derived from answers.

    This also makes an old or hand-edited state safe: answers to unknown nodes are
    parked, and a current node that is no longer on the route is replaced.
    """
    if state.get("flow") != flow.id:
        raise ValueError(f"this conversation is for flow {state.get('flow')!r}, not {flow.id!r}")
    answers = copy.deepcopy(state.get("answers") or {})
    parked = copy.deepcopy(state.get("parked") or {})
    return _settle(flow, answers, parked, stop_at=state.get("current"))


def _settle(flow: Flow, answers: dict[str, Entry], parked: dict[str, Entry], stop_at: Any) -> State:
    pool = {**parked, **answers}
    full, live = _walk(flow, pool)
    path = full[: full.index(stop_at) + 1] if stop_at in full and stop_at in live else full
    return {
        "format": FORMAT,
        "flow": flow.id,
        "flow_version": flow.version,
        "current": path[-1],
        "path": path,
        "answers": live,
        "parked": {node_id: entry for node_id, entry in pool.items() if node_id not in live},
    }


def _walk(flow: Flow, pool: dict[str, Entry]) -> tuple[list[str], dict[str, Entry]]:
    """Follow the flow from the start through every question that has an answer in
    ``pool``. Returns the visible nodes passed (ending at the first unanswered
    question or the end node) and the answers that were used on the way."""
    path: list[str] = []
    live: dict[str, Entry] = {}
    node = flow.node(flow.start)
    for _ in range(len(flow.nodes) + 1):
        if node.type == "branch":
            node = flow.node(_choose(flow, node, live))
            continue
        path.append(node.id)
        if node.type == "end" or (node.is_question and node.id not in pool):
            return path, live
        if node.is_question:
            live[node.id] = pool[node.id]
        node = flow.node(node.next or "")
    raise FlowError([f"{flow.source}: flow '{flow.id}': goes round in a loop (validate it)"])


def _choose(flow: Flow, node: Node, live: dict[str, Entry]) -> str:
    for branch in node.branches:
        if _holds(flow, branch.when, live) and branch.next:
            return branch.next
    return node.default or ""


def _holds(flow: Flow, condition: Condition, live: dict[str, Entry]) -> bool:
    entry = live.get(condition.node)
    if condition.test == "in":
        if entry is None or entry["skipped"]:
            return False
        question = flow.node(condition.node)
        chosen = get_handler(question.answer or "").selected(entry["value"])
        return any(option_id in condition.option_ids for option_id in chosen)
    if condition.test == "answered":
        found = entry is not None and not entry["skipped"]
    else:
        found = entry is not None and bool(entry["skipped"])
    return found == condition.expected


def _longest_remaining(flow: Flow, start: str) -> int:
    """Most questions on any route from ``start`` (inclusive) to an end node.

    Worked out for every node of the flow once, and then read from that table: it is on every
    chat page, and a flow does not change once loaded.
    """
    return flow.derived("longest-remaining", _route_lengths)[start]


def _route_lengths(flow: Flow) -> dict[str, int]:
    memo: dict[str, int] = {}
    for node in flow.nodes:
        _longest_from(flow, node.id, memo)
    return memo


def _longest_from(flow: Flow, start: str, memo: dict[str, int]) -> int:
    """Fill ``memo`` from ``start``: iterative, so a long flow can't reach Python's recursion
    limit; the ``open`` set stops an unvalidated flow with a loop from spinning forever."""
    open_: set[str] = set()
    stack = [start]
    while stack:
        node = flow.node(stack[-1])
        if node.id in memo:
            stack.pop()
            continue
        open_.add(node.id)
        targets = [target for target in node.targets() if flow.get(target) is not None]
        waiting = [target for target in targets if target not in memo and target not in open_]
        if waiting:
            stack.extend(waiting)
            continue
        stack.pop()
        open_.discard(node.id)
        best = max((memo.get(target, 0) for target in targets), default=0)
        memo[node.id] = best + (1 if node.is_question else 0)
    return memo[start]


def _child_turn(node: Node, entry: Entry) -> Turn:
    if entry["skipped"]:
        return Turn("child", node.id, "", skipped=True)
    handler = get_handler(node.answer or "")
    icons = [
        option.icon
        for option_id in handler.selected(entry["value"])
        if (option := node.option(option_id)) is not None and option.icon
    ]
    return Turn("child", node.id, handler.display(node, entry["value"]), icons=tuple(icons))


def _review_item(node: Node, entry: Entry) -> ReviewItem:
    handler = get_handler(node.answer or "")
    skipped = bool(entry["skipped"])
    return ReviewItem(
        node_id=node.id,
        topic=node.topic,
        question=node.text or "",
        answer="" if skipped else handler.display(node, entry["value"]),
        skipped=skipped,
        answer_type=node.answer or "",
        value=entry["value"],
    )


def _icons(icon: str | None) -> tuple[str, ...]:
    return (icon,) if icon else ()

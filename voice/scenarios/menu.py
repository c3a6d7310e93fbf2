"""Which scenarios a child is offered, in the order ``content/routing.yaml`` lists them."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from voice.content.flows import Flow
from voice.models import Child
from voice.models.scenarios import MissingEpisode, Visit
from voice.scenarios import missing, visits


@dataclass(frozen=True)
class Menu:
    scenarios: list[Flow]
    missing_episode: MissingEpisode | None  # offer "back from missing" first
    visit_question: Visit | None  # ask "did you get to talk about what you wanted?"


def _content() -> dict:
    return current_app.extensions["voice_content"]


def scenario_flows() -> list[Flow]:
    """The live scenario flows, in menu order; a rule whose flow is absent is left out."""
    flows = _content()["flows"]
    return [flows[rule.flow] for rule in _content()["routing"].scenarios if rule.flow in flows]


def review_flows() -> dict[str, Flow]:
    """The flows for getting ready for a review: every live flow that is not a scenario."""
    routing = _content()["routing"]
    return {fid: flow for fid, flow in _content()["flows"].items() if not routing.is_scenario(fid)}


def for_child(child: Child) -> Menu:
    offered = scenario_flows()
    episode = missing.to_offer(child)
    if episode is None:  # "back from missing" is only for a child staff have recorded as back
        offered = [flow for flow in offered if flow.id != missing.MISSING_FLOW]
    else:
        offered.sort(key=lambda flow: flow.id != missing.MISSING_FLOW)
    return Menu(offered, episode, visits.question_due(child))

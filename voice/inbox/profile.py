""" "All about me": a one-page picture profile of what a child said in the picture journey.

Built from the answers this staff member may see (the child's sharing choices hold here too),
so the on-screen page, the PDF and the JSON always agree with the answers beside them. The
words of an adult who helped are kept apart from the child's, and are never summarised as the
child's views. Symbols and option names come from the flow's content by their stable ids.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from voice.content import registry
from voice.content.flows import Flow, Node
from voice.models import ChildMedia, Submission, SubmissionAnswer

FLOW_ID = "all-about-me"
AREAS = ("home", "school", "family", "friends", "worker", "body", "worries")
FACE_WORDS = {"1": "Really sad", "2": "Sad", "3": "OK", "4": "Happy", "5": "Really happy"}


DRAWING_OPTION = "my-drawing"


@dataclass(frozen=True)
class Picture:
    symbol: str | None
    label: str


@dataclass(frozen=True)
class Area:
    node_id: str
    question: str
    symbol: str | None
    face: Picture | None  # None when skipped or not shared


@dataclass
class Profile:
    submission: Submission
    helper: Picture | None = None
    areas: list[Area] = field(default_factory=list)
    important: list[Picture] = field(default_factory=list)
    likes: list[Picture] = field(default_factory=list)
    change: Picture | None = None
    drawing: ChildMedia | None = None
    voice_note: ChildMedia | None = None
    asked_for_help: list[str] = field(default_factory=list)
    adult_words: str | None = None


def is_picture_submission(submission: Submission) -> bool:
    return submission.flow_id == FLOW_ID


def _flow() -> Flow | None:
    return registry.get("flows").get(FLOW_ID)


def _pictures(node: Node | None, answer: SubmissionAnswer | None) -> list[Picture]:
    if node is None or answer is None or answer.skipped or not answer.choices:
        return []
    found = []
    for option_id in answer.choices.split(","):
        option = node.option(option_id)
        found.append(
            Picture(option.icon if option else None, (option.label if option else None) or option_id)
        )
    return found


def build(
    submission: Submission, answers: list[SubmissionAnswer], media: Mapping[str, ChildMedia]
) -> Profile:
    """The profile from the answers this reader may see, and the media that came with them."""
    flow = _flow()
    by_node = {answer.node_id: answer for answer in answers}
    profile = Profile(submission)
    if flow is None:
        return profile
    helper = _pictures(flow.get("who"), by_node.get("who"))
    profile.helper = helper[0] if helper else None
    for node_id in AREAS:
        node = flow.get(node_id)
        if node is None:
            continue
        faces = _pictures(node, by_node.get(node_id))
        face = (
            Picture(faces[0].symbol, FACE_WORDS.get(by_node[node_id].choices or "", faces[0].label))
            if faces
            else None
        )
        profile.areas.append(Area(node_id, node.text or "", node.icon, face))
    profile.important = _pictures(flow.get("important"), by_node.get("important"))
    profile.likes = _pictures(flow.get("likes"), by_node.get("likes"))
    change = _pictures(flow.get("change"), by_node.get("change"))
    profile.change = change[0] if change else None
    chosen = by_node.get("change")
    if chosen is not None and not chosen.skipped and DRAWING_OPTION in (chosen.choices or "").split(","):
        profile.drawing = media.get("change")  # a drawing counts only while "My drawing" is the answer
    profile.voice_note = next((m for m in media.values() if m.kind == "voice"), None)
    profile.asked_for_help = [
        answer.node_id.removesuffix("-help")
        for answer in answers
        if answer.topic == "help-now" and answer.choices == "help"
    ]
    adult = by_node.get("adult-words")
    profile.adult_words = None if adult is None or adult.skipped else adult.answer_text
    return profile


def _picture(picture: Picture | None) -> dict[str, Any] | None:
    return None if picture is None else {"symbol": picture.symbol, "label": picture.label}


def as_json(profile: Profile) -> dict[str, Any]:
    """The profile for the case system (schema ``voice.about-me/1``). Media are named, not
    embedded: the worker files them from the page, so a JSON export stays small and text-only."""
    s = profile.submission
    return {
        "schema": "voice.about-me/1",
        "marking": "OFFICIAL-SENSITIVE",
        "reference": s.reference,
        "child_ref": s.child.ref,
        "sent_at": s.sent_at.isoformat() if s.sent_at else None,
        "language": s.language,
        "who_helped": _picture(profile.helper),
        "areas": [
            {"question_id": a.node_id, "question": a.question, "face": _picture(a.face)}
            for a in profile.areas
        ],
        "important_people": [_picture(p) for p in profile.important],
        "likes": [_picture(p) for p in profile.likes],
        "would_change": _picture(profile.change),
        "drawing": None
        if profile.drawing is None
        else {"mime": profile.drawing.mime, "bytes": profile.drawing.size},
        "voice_note": None
        if profile.voice_note is None
        else {
            "mime": profile.voice_note.mime,
            "bytes": profile.voice_note.size,
            "seconds": profile.voice_note.seconds,
            "transcript": None,  # left to the worker, who hears it
        },
        "asked_for_help_after": profile.asked_for_help,
        "adult_words": profile.adult_words,  # the adult's, never the child's
    }

"""Make a sent submission the quick way, through the same domain code the pages use."""

from __future__ import annotations

from voice.chat import conversations, engine, sending
from voice.extensions import db
from voice.models import Child


def send_for(
    app,
    child_ref: str,
    *,
    text: str = "I would like more time with my brother",
    share: str = "worker",
    skip_text: bool = False,
):
    """Answer the pre-review flow (first option everywhere, ``text`` in text boxes) and send it."""
    with app.test_request_context():
        child = Child.by_ref(child_ref)
        conv = conversations.start(child, "pre-review", language="en")
        flow = conversations.flow_of(conv)
        state = conv.state
        while True:
            node = engine.current_node(flow, state)
            if node is None or not node.is_question:
                break
            if node.answer == "text":
                outcome = (
                    engine.skip(flow, state, node.id)
                    if skip_text
                    else engine.submit_answer(flow, state, node.id, [text])
                )
            else:
                outcome = engine.submit_answer(flow, state, node.id, [node.options[0].id])
            state = outcome.state
        conv.state = state
        conv.sharing = {item.node_id: share for item in engine.review_items(flow, state)}
        db.session.commit()
        submission = sending.send(conv)
        return submission.id

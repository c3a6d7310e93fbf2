"""The picture journey ("All about me", a flow with ``mode: symbols``): what its pages need
beyond the ordinary chat. The flow itself runs on the same engine, drafts and sending.

Conventions in the flow's content (``content/flows/all-about-me.yaml``):

- a question with topic ``help-now`` is the gentle "do you want someone to help now?" after a
  sad face; choosing ``help`` raises the same alert as the "I don't feel safe" button;
- topic ``adult-words`` holds the words of the adult who helped, shown apart from the child's;
- option ``my-drawing`` is only offered where the page can draw (with JavaScript).
"""

from __future__ import annotations

from markupsafe import Markup

from voice.content import registry
from voice.content.flows import Flow, Node
from voice.content.translate import content_text

MODE = "symbols"
HELP_TOPIC = "help-now"
HELP_OPTION = "help"
ADULT_TOPIC = "adult-words"
HELPER_TOPIC = "who-helped"
DRAWING_OPTION = "my-drawing"
SAD = ("1", "2")


def is_picture_flow(flow: Flow) -> bool:
    return flow.mode == MODE


def asks_for_help(flow: Flow, node_id: str, values: list[str]) -> bool:
    """True when this answer is "yes, help me" to the gentle offer of help."""
    node = flow.get(node_id)
    return node is not None and node.topic == HELP_TOPIC and [v.strip() for v in values] == [HELP_OPTION]


def shown_options(node: Node) -> list:
    """The cards shown as plain buttons (the drawing card is added by the page's script)."""
    return [option for option in node.options if option.id != DRAWING_OPTION]


def offers_drawing(node: Node) -> bool:
    return node.option(DRAWING_OPTION) is not None


def symbol_name(symbol_id: str | None) -> str:
    symbol = registry.get("symbols").get(symbol_id or "")
    return "" if symbol is None else content_text(f"symbol:{symbol.id}:name", symbol.name)


def symbol(symbol_id: str | None, css_class: str = "symbol") -> Markup:
    """A symbol drawn inline (no extra request; works in the PDF too). Decorative here: the
    control around it carries the words. Checked safe when its content version loaded."""
    found = registry.get("symbols").get(symbol_id or "")
    if found is None:
        return Markup("")
    opening = f'<svg class="{Markup.escape(css_class)}" aria-hidden="true" focusable="false" '
    return Markup(found.svg.replace("<svg ", opening, 1))  # noqa: S704 - checked by content.symbols

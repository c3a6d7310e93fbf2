"""The answer types a question node may name (``answer: scale``), declared here in content.

Content owns the ids and the rules for how a node uses each type (its options, its
placeholder), so checking a flow never needs the chat engine. The chat registers one
handler per id here (``voice.chat.answers.HANDLERS``), which reads and shows the answers;
a test keeps the two lists the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from voice.content.flow_model import Node


@dataclass(frozen=True)
class AnswerType:
    id: str
    needs_options: bool = False
    fixed_option_ids: tuple[str, ...] | None = None
    """When set, a node of this type must offer exactly these option ids, in this order."""
    takes_placeholder: bool = False

    def check_node(self, node: Node) -> list[str]:
        """Problems with how a node uses this type, for the flow validator."""
        problems: list[str] = []
        ids = [option.id for option in node.options]
        if self.needs_options and not ids:
            problems.append(f"a '{self.id}' question needs options")
        if self.fixed_option_ids is not None and tuple(ids) != self.fixed_option_ids:
            wanted = ", ".join(self.fixed_option_ids)
            problems.append(
                f"a '{self.id}' question must have options {wanted} (in that order), "
                f"either its own or from the flow's default_options; it has "
                f"{', '.join(ids) or 'none'}"
            )
        if not self.needs_options and self.fixed_option_ids is None and ids:
            problems.append(f"a '{self.id}' question can't have options")
        if node.placeholder is not None and not self.takes_placeholder:
            problems.append("only a 'text' question can have a placeholder")
        return problems


ANSWER_TYPES: dict[str, AnswerType] = {
    answer_type.id: answer_type
    for answer_type in (
        AnswerType("single", needs_options=True),
        AnswerType("multi", needs_options=True),
        AnswerType("scale", fixed_option_ids=("1", "2", "3", "4", "5")),
        AnswerType("yesno", fixed_option_ids=("yes", "no")),
        AnswerType("text", takes_placeholder=True),
        AnswerType("date"),  # a day, such as the day of a visit (issue 27)
    )
}

"""Turning authored Markdown into safe HTML.

Everything passes through an allowlist sanitiser (nh3), so even content edited in the studio
cannot carry script, iframes, SVG or ``javascript:`` links. Jinja never evaluates content,
so ``{{ … }}`` in a text shows literally.
"""

from __future__ import annotations

import markdown as md
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {"p", "strong", "em", "ul", "ol", "li", "a", "br", "h2", "h3", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"https", "mailto", "tel"}


def render_markdown(text: str) -> Markup:
    html = md.markdown(text, extensions=[], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return Markup(clean)  # noqa: S704 - sanitised by nh3 on the line above

"""Simple content pages (help, privacy, what happens next): one route, one lookup."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from voice import strict_yaml
from voice.content.registry import loader
from voice.content.text import render_markdown


@dataclass(frozen=True)
class Page:
    id: str
    title: str
    body: str

    def html(self, **facts: str):
        """The page in the child's language (whole-page English fallback), facts filled in."""
        from voice.content.translate import display_text

        body: str = display_text(f"page:{self.id}:body", self.body)
        for name, value in facts.items():  # only named facts; other braces stay literal
            body = body.replace("{" + name + "}", value)
        return render_markdown(body)


@loader("pages")
def load_pages(content_dir: Path) -> dict[str, Page]:
    pages: dict[str, Page] = {}
    for path in sorted((content_dir / "pages").glob("*.yaml")):
        raw = strict_yaml.read(path)
        missing = {"id", "title", "body"} - set(raw or {})
        if missing:
            raise ValueError(f"{path.name}: missing {', '.join(sorted(missing))}")
        if raw["id"] in pages:
            raise ValueError(f"{path.name}: duplicate page id {raw['id']!r}")
        pages[raw["id"]] = Page(id=raw["id"], title=raw["title"], body=raw["body"])
    if "help" not in pages:
        raise ValueError("pages/help.yaml is required: the Get help now page")
    return pages

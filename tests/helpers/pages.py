"""Fetch pages, check them for free, and fill in their forms like a plain HTML browser."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from werkzeug.test import TestResponse


def check_page(html: str) -> BeautifulSoup:
    """Every HTML page has a title, a lang, unique ids, and POST forms with a CSRF token."""
    soup = BeautifulSoup(html, "html.parser")
    assert soup.title and soup.title.string and soup.title.string.strip(), "page has no <title>"
    assert soup.html and soup.html.get("lang"), "<html> has no lang"
    ids = Counter(tag["id"] for tag in soup.find_all(id=True))
    dupes = [i for i, n in ids.items() if n > 1]
    assert not dupes, f"duplicate ids: {dupes}"
    for form in soup.find_all("form"):
        if (form.get("method") or "get").lower() == "post":
            assert form.find("input", attrs={"name": re.compile(r"(^|-)csrf_token$")}), (
                f"POST form without CSRF: {form}"
            )
    return soup


@dataclass
class Page:
    response: TestResponse
    soup: BeautifulSoup
    url: str

    @property
    def h1(self) -> str:
        tag = self.soup.find("h1")
        return tag.get_text(" ", strip=True) if tag else ""

    @property
    def text(self) -> str:
        return self.soup.get_text(" ", strip=True)

    def form(self, selector: str = "form[method=post]") -> Any:
        found = self.soup.select_one(selector)
        assert found is not None, f"no form matching {selector!r} on {self.url}"
        return found


class PageFetcher:
    def __init__(self, client: FlaskClient):
        self.client = client

    def get(self, url: str, *, status: int = 200, follow: bool = True, **kwargs: Any) -> Page:
        response = self.client.get(url, follow_redirects=follow, **kwargs)
        assert response.status_code == status, (response.status_code, response.data[:500])
        final = response.request.path if follow else url
        soup = check_page(response.get_data(as_text=True)) if response.mimetype == "text/html" else None
        return Page(response, soup, final)  # type: ignore[arg-type]

    def submit(
        self,
        page: Page,
        data: dict[str, Any] | None = None,
        *,
        selector: str = "form[method=post]",
        button: tuple[str, str] | None = None,
        status: int = 200,
        follow: bool = True,
    ) -> Page:
        """Fill in a form as a browser would: its hidden fields, then ``data``, then a button."""
        form = page.form(selector)
        fields: dict[str, Any] = {}
        for inp in form.find_all(["input", "textarea", "select"]):
            name = inp.get("name")
            if not name or inp.get("type") in ("submit", "button"):
                continue
            if inp.get("type") in ("checkbox", "radio") and not inp.has_attr("checked"):
                continue
            fields.setdefault(name, inp.get("value", "") if inp.name == "input" else inp.get_text())
        fields.update(data or {})
        if button:
            fields[button[0]] = button[1]
        action = urljoin(page.url, form.get("action") or page.url)
        response = self.client.post(
            urlsplit(action).path + (f"?{urlsplit(action).query}" if urlsplit(action).query else ""),
            data=fields,
            follow_redirects=follow,
        )
        assert response.status_code == status, (response.status_code, response.get_data(as_text=True)[:800])
        soup = check_page(response.get_data(as_text=True)) if response.mimetype == "text/html" else None
        return Page(response, soup, response.request.path)  # type: ignore[arg-type]

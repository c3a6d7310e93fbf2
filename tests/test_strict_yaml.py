"""One strict YAML reader for every loader: a key written twice stops the load, naming the line."""

from pathlib import Path

import pytest

from voice import strict_yaml
from voice.content.fields import ContentErrors, read_yaml_mapping
from voice.content.pages import load_pages


def test_a_key_written_twice_is_refused_with_its_line():
    with pytest.raises(strict_yaml.YamlError) as caught:
        strict_yaml.parse("id: help\ntitle: Help\ntitle: Get help\n", source="pages/help.yaml")
    message = str(caught.value)
    assert message.startswith("pages/help.yaml: is not valid YAML")
    assert "'title' is written twice" in message
    assert "line 3" in message


def test_the_same_key_in_different_mappings_is_fine():
    assert strict_yaml.parse("a: {id: 1}\nb: {id: 2}\n") == {"a": {"id": 1}, "b": {"id": 2}}


def test_an_unreadable_file_is_named(tmp_path: Path):
    with pytest.raises(strict_yaml.YamlError, match="can't be read"):
        strict_yaml.read(tmp_path / "missing.yaml")


def test_the_pages_loader_refuses_a_page_with_a_doubled_key(tmp_path: Path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "help.yaml").write_text("id: help\ntitle: Help\nbody: One\nbody: Two\n")
    with pytest.raises(ValueError, match="'body' is written twice"):
        load_pages(tmp_path)


def test_the_rights_reader_reports_a_doubled_key(tmp_path: Path):
    path = tmp_path / "articles.yaml"
    path.write_text("articles:\n  - id: a12\n    title: One\n    title: Two\n")
    errors = ContentErrors()
    assert read_yaml_mapping(path, "rights/articles.yaml", errors) is None
    assert any("'title' is written twice" in problem for problem in errors.messages)

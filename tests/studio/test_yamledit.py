"""Edits to content files keep their comments and layout, and always mean what was asked."""

from __future__ import annotations

import yaml

from voice.studio import yamledit

FLOW = """\
# A comment that explains the file.
id: demo
nodes:
  # ---- first part
  - id: a
    type: question
    text: Hello there
    options:
      - {id: "yes", label: "Yes"}
      - {id: maybe, label: Maybe}
    next: b

  - id: b
    type: end
    text: |
      Bye for now.
      See you.
"""


def test_setting_a_value_changes_only_that_line():
    edited = yamledit.set_value(FLOW, ["nodes", {"id": "a"}, "text"], "Hi: how are you?")
    assert "# A comment that explains the file." in edited
    assert "# ---- first part" in edited
    assert 'text: "Hi: how are you?"' in edited
    assert yaml.safe_load(edited)["nodes"][0]["text"] == "Hi: how are you?"
    assert edited.replace('"Hi: how are you?"', "Hello there") == FLOW


def test_blocks_stay_blocks_and_new_keys_are_added_in_place():
    edited = yamledit.set_value(FLOW, ["nodes", {"id": "b"}, "text"], "Bye.\r\n\r\nTake care.  ")
    assert "    text: |\n      Bye.\n\n      Take care.\n" in edited
    edited = yamledit.set_value(edited, ["nodes", {"id": "a"}, "hint"], "A small line")
    data = yaml.safe_load(edited)
    assert data["nodes"][0]["hint"] == "A small line"
    assert data["nodes"][1]["text"] == "Bye.\n\nTake care.\n"


def test_values_yaml_would_misread_are_quoted():
    for tricky in (
        "yes",
        "no",
        "123",
        "null",
        "- dash",
        "a # b",
        "{{config}}",
        "x: y",
        "tab\there",
        "'quoted'",
    ):
        edited = yamledit.set_value(FLOW, ["nodes", {"id": "a"}, "text"], tricky)
        assert yaml.safe_load(edited)["nodes"][0]["text"] == tricky
    flow_label = yamledit.set_value(
        FLOW, ["nodes", {"id": "a"}, "options", {"id": "maybe"}, "label"], "Not, sure}"
    )
    assert yaml.safe_load(flow_label)["nodes"][0]["options"][1]["label"] == "Not, sure}"


def test_inserting_items_keeps_the_style_of_the_list():
    edited = yamledit.insert_item(FLOW, ["nodes", {"id": "a"}, "options"], {"id": "no", "label": "No way"})
    assert '      - {id: "no", label: No way}\n' in edited
    edited = yamledit.insert_item(edited, ["nodes"], {"id": "c", "type": "end", "text": "The end"}, after=0)
    data = yaml.safe_load(edited)
    assert [n["id"] for n in data["nodes"]] == ["a", "c", "b"]
    assert "# ---- first part" in edited


def test_a_splice_that_would_go_wrong_falls_back_to_a_correct_file():
    odd = "items: [a, b]\nother: {k: v}\n"
    edited = yamledit.set_value(odd, ["other", "k"], "two\nlines")
    assert yaml.safe_load(edited) == {"items": ["a", "b"], "other": {"k": "two\nlines\n"}}

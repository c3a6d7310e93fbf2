"""The calibration's inputs: a topic all three ways of scoring put first is surer than one
they disagree on, and calibration files written before the richer inputs still load."""

from __future__ import annotations

import json

from voice.ask.confidence import FEATURES, Calibration, Signals


def _signals(words, examples, pieces):
    scores = [0.5 * w + 0.2 * e + 0.3 * p for w, e, p in zip(words, examples, pieces, strict=True)]
    return Signals(scores, words, examples, pieces, share=1.0, known=3, telling=2)


def test_agreement_between_the_three_ways_is_an_input():
    agreed = _signals([0.8, 0.2], [0.9, 0.1], [0.7, 0.3]).features(0)
    split = _signals([0.8, 0.2], [0.3, 0.9], [0.3, 0.7]).features(0)
    at = FEATURES.index("agree")
    assert agreed[at] == 1.0
    assert split[at] == 1 / 3
    calibration = Calibration(bias=-2.0, top=3.0, margin=2.0, coverage=1.0, threshold=0.5, agree=2.0)
    assert calibration.of(agreed) > calibration.of(split)


def test_a_calibration_file_without_the_new_inputs_still_loads(tmp_path):
    path = tmp_path / "calibration.json"
    old = {"bias": -5.5, "top": 6.0, "margin": 4.1, "coverage": 2.2, "threshold": 0.33}
    path.write_text(json.dumps({"en": old}), encoding="utf-8")
    loaded = Calibration.load(path, "en")
    assert loaded is not None and loaded.telling == 0.0 and loaded.agree == 0.0
    assert loaded.confidence(0.8, 0.3, 1.0) == loaded.of((0.8, 0.5, 1.0, 0, 0, 0, 0, 0))

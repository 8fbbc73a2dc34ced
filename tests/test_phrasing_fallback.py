"""When no template passes the guard, the person still gets a phrasing, and nothing raises."""

from __future__ import annotations

import logging

import pytest

from coaching.phrasing import guard
from coaching.phrasing.templates import _first_passing
from coaching.taxonomy import Style


@pytest.mark.parametrize("style", list(Style))
def test_no_passing_template_falls_back_to_a_guarded_phrasing(
    style: Style, caplog: pytest.LogCaptureFixture
) -> None:
    failing = ["You always ruin everything and it's your fault."]
    with caplog.at_level(logging.ERROR):
        phrasing = _first_passing(style, failing)
    assert phrasing.style is style
    assert guard.passes(phrasing.text, style)
    assert "ruin" not in caplog.text  # the log names the broken rule, never the words
    assert "absolute or blame" in caplog.text

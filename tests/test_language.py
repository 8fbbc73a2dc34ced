"""Which texts the offline coach reads as English, and what an unreadable one gets."""

from __future__ import annotations

import pytest

from coaching.reading.language import readable_english
from coaching.service import CoachService
from coaching.understanding.offline import OfflineClassifier


@pytest.mark.parametrize(
    "text",
    [
        "ok thanks",
        "ugh",
        "ugh.",
        "lol same",
        "he ghosted me tbh",
        "hmm",
        "wtf",
        "so tired",
        "she lied",
    ],
)
def test_short_english_is_english(text: str) -> None:
    assert readable_english(text)


@pytest.mark.parametrize(
    "text",
    [
        "My wife she say I am too much emotional, is not true",
        "I tell to my mother I am sad and she make joke about it",
        "He not listen me when I speak about my work, only look the phone",
    ],
)
def test_non_native_english_is_english(text: str) -> None:
    assert readable_english(text)


def test_an_english_story_quoting_another_language_is_english() -> None:
    text = (
        "My abuela visited and when I said I was stressed about exams she just said "
        '"no pasa nada" and turned the telenovela back up. I felt so brushed off.'
    )
    assert readable_english(text)


@pytest.mark.parametrize(
    "text",
    [
        "Mi esposo nunca me escucha cuando le hablo",
        "Quiero morir.",
        "Je veux mourir.",
        "Ich will sterben.",
        "Quero morrer.",
        "Mój mąż nigdy mnie nie słucha",
        "Çok yorgunum",
        "Мой муж никогда меня не слушает",
        "我丈夫从不听我说话",
        "Mi novio dijo que estoy exagerando, ok, y después se fue a jugar con sus amigos",
    ],
)
def test_other_languages_are_not_english(text: str) -> None:
    assert not readable_english(text)


@pytest.mark.parametrize("text", ["", "  ", "🙂🙂", "?!"])
def test_a_text_without_words_is_not_turned_away(text: str) -> None:
    assert readable_english(text)


async def test_an_unreadable_story_gets_the_english_only_answer_with_a_helpline() -> None:
    answer = await CoachService(OfflineClassifier()).coach(
        "u", "Mi esposo nunca me escucha cuando le hablo"
    )
    assert answer.language_supported is False
    assert "findahelpline.com" in [r.contact for r in answer.resources]
    assert answer.patterns == []

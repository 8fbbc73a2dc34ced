"""What the domain needs from the outside world, as Protocols. Adapters implement them."""

from __future__ import annotations

from typing import Protocol

from coaching.models import Draft


class Classifier(Protocol):
    """Reads a (safety-screened) description and says what went wrong.

    Implementations never raise for a bad answer from their backend: they return a Draft that
    says which classifier answered and, after a fallback, why.
    """

    async def classify(self, text: str) -> Draft: ...

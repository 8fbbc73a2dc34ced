"""What to say: templates from the actual exchange, the voice they are told in, the other side's
likely reason, and the one guard every phrasing passes."""

from coaching.phrasing.perspective import perspective
from coaching.phrasing.templates import partner_prompt, phrasings

__all__ = ["partner_prompt", "perspective", "phrasings"]

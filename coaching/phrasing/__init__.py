"""What to say: templates from the actual exchange (a repair attempt when the writer caused the
hurt, their part owned first when both did), the voice they are told in, the other side's likely
reason, and the one guard every phrasing passes, for the writer's role."""

from coaching.phrasing.perspective import perspective
from coaching.phrasing.templates import partner_prompt, phrasings

__all__ = ["partner_prompt", "perspective", "phrasings"]

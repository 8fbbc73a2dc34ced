"""The coaching domain: reading → safety → understanding → phrasing, behind `CoachService`.

No Discord, SQL, network or settings imports here; adapters depend on this package, never the
reverse.
"""

from coaching.models import Assessment, Classification, Draft, SafetyResult
from coaching.ports import Classifier
from coaching.service import CoachService, InputError

__all__ = [
    "Assessment",
    "Classification",
    "Classifier",
    "CoachService",
    "Draft",
    "InputError",
    "SafetyResult",
]

"""The safety screen, which runs before anything else: crisis and abuse get resources, never a
repair script."""

from coaching.safety.resources import for_level
from coaching.safety.screening import screen

__all__ = ["for_level", "screen"]

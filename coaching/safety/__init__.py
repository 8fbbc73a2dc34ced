"""The safety screen, which runs before anything else: crisis and abuse get resources, never a
repair script."""

from coaching.safety.resources import for_level
from coaching.safety.screening import combined, screen

__all__ = ["combined", "for_level", "screen"]

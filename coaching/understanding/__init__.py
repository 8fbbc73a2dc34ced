"""Understanding what went wrong: the built-in classifier (patterns and moment)."""

from coaching.understanding.offline import OfflineClassifier

__all__ = ["OfflineClassifier"]

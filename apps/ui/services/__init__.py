"""The UI's own writes (what it keeps per person)."""

from apps.ui.services.favourites import favourite_set

__all__ = ["favourite_set"]

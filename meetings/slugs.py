"""Permanent, human-readable slugs the way Danish sites write them."""

from django.utils.text import slugify

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def danish_slugify(value: str) -> str:
    """Slugify with æ→ae, ø→oe, å→aa ("Beskæftigelsesudvalget" → "beskaeftigelsesudvalget")."""
    return slugify(value.translate(_DANISH))

"""Countries: contributors write a name (or ISO code); Babel gives its name in every language."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale

from . import i18n
from .slugs import slugify


# Where CLDR's name is not the one the country itself asks for.
PREFERRED_NAMES = {("ru", "KG"): "Кыргызстан"}


@lru_cache(maxsize=1)
def _english_names() -> dict[str, str]:
    """Lower-case English name or ISO code -> ISO code, for the world's countries."""
    names = {}
    for code, name in Locale("en").territories.items():
        if len(code) == 2 and code.isalpha():
            names[name.lower()] = code
            names[code.lower()] = code
    # Names contributors are likely to write that CLDR spells differently.
    names.update({"kyrgyz republic": "KG", "turkey": "TR", "russia": "RU", "north macedonia": "MK"})
    return names


def resolve(value) -> str | None:
    """The ISO 3166 code for a country name or code, or None."""
    return _english_names().get(value.strip().lower()) if isinstance(value, str) else None


def suggest(value: str) -> str | None:
    close = difflib.get_close_matches(str(value).lower(), _english_names(), n=1, cutoff=0.7)
    return Locale("en").territories[_english_names()[close[0]]] if close else None


@dataclass(frozen=True)
class Country:
    code: str
    kind = "country"

    @property
    def slug(self) -> str:
        return slugify(self.name_in("en"))

    def name_in(self, lang: str) -> str:
        if (lang, self.code) in PREFERRED_NAMES:
            return PREFERRED_NAMES[lang, self.code]
        try:
            return i18n.cldr(lang).territories.get(self.code) or Locale("en").territories[self.code]
        except (ValueError, LookupError):
            return Locale("en").territories[self.code]

    @property
    def name(self) -> str:
        return self.name_in("en")

    def __str__(self):
        return self.name

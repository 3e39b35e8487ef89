"""Country names in every language, from the Unicode CLDR data that Babel ships."""

from __future__ import annotations

import unicodedata
from functools import cache, lru_cache


@lru_cache(maxsize=65536)
def fold(s: str) -> str:
    """Lower case without accents or punctuation: the key for name look-ups."""
    s = unicodedata.normalize("NFKD", s.replace("’", "'"))
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(s.lower().replace("-", " ").replace("'", " ").split())


@cache
def country_names(lang: str) -> dict[str, str]:
    """Folded country name → ISO 3166-1 alpha-2, in ``lang`` and English."""
    from babel import Locale  # CLDR tables load on first use only

    names: dict[str, str] = {}
    for loc in dict.fromkeys([lang, "en"]):
        try:
            territories = Locale.parse(loc).territories
        except (ValueError, LookupError):
            continue
        for code, name in territories.items():
            if len(code) == 2 and code.isalpha() and code not in ("ZZ", "EU", "EZ", "UN", "QO"):
                names.setdefault(fold(name), code)
    for code, aliases in _aliases().items():
        for alias in aliases:
            names.setdefault(fold(alias), code)
    return names


@cache
def _aliases() -> dict[str, list[str]]:
    """``data/country_aliases.toml``: the names news uses that CLDR lacks ("Turkey")."""
    import tomllib
    from importlib import resources

    raw = resources.files("sitrep.data").joinpath("country_aliases.toml").read_text("utf-8")
    return tomllib.loads(raw)

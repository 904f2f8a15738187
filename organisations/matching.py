"""Match what a person types to a municipality: official and common names and known aliases,
regardless of accents, case, apostrophes, hyphens and CBS's "(NH.)"-style suffixes.

Pure functions over (cbs_code, names) pairs, so they are tested without a database.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

# Names people use that are neither the CBS name nor its common name.
ALIASES: dict[str, tuple[str, ...]] = {
    "GM0518": ("Den Haag", "The Hague", "'s-Gravenhage"),
    "GM0796": ("Den Bosch", "'s-Hertogenbosch", "Hertogenbosch"),
    "GM0373": ("Bergen Noord-Holland", "Bergen NH"),
    "GM0893": ("Bergen Limburg", "Bergen L"),
    "GM0820": ("Nuenen",),
    # Frisian municipalities by their Dutch names.
    "GM1900": ("Zuidwest-Friesland",),
    "GM1970": ("Noordoost-Friesland",),
    "GM1940": ("De Friese Meren",),
    "GM0737": ("Tietjerksteradeel",),
    "GM1891": ("Dantumadeel",),
}


def normalise(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: "'s-Gravenhage" -> "s gravenhage"."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower().replace("’", "'")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Candidate:
    cbs_code: str
    names: tuple[str, ...]
    # The names normalised once, not on every lookup (a registration compares with ~800 names).
    normalised: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "normalised", tuple(normalise(name) for name in self.names))


@dataclass
class MatchResult:
    code: str | None = None
    ambiguous: list[str] = field(default_factory=list)


def candidate_names(cbs_code: str, name: str, common_name: str) -> tuple[str, ...]:
    """All spellings that should find this municipality, including the name without "(NH.)"."""
    names = [name, common_name, *ALIASES.get(cbs_code, ())]
    stripped = re.sub(r"\s*\([^)]*\)\s*$", "", name)
    if stripped != name:
        names.append(stripped)
    return tuple(dict.fromkeys(names))


def match(text: str, candidates: Iterable[Candidate]) -> MatchResult:
    """Exact normalised match on any name, a CBS code, or else one unique prefix match."""
    wanted = normalise(text)
    if not wanted:
        return MatchResult()
    candidates = list(candidates)
    upper = text.strip().upper()
    for candidate in candidates:
        if upper == candidate.cbs_code:
            return MatchResult(code=candidate.cbs_code)
    exact = sorted({c.cbs_code for c in candidates if wanted in c.normalised})
    if len(exact) == 1:
        return MatchResult(code=exact[0])
    if len(exact) > 1:
        return MatchResult(ambiguous=exact)
    prefix = sorted({c.cbs_code for c in candidates if any(n.startswith(wanted) for n in c.normalised)})
    if len(prefix) == 1 and len(wanted) >= 3:
        return MatchResult(code=prefix[0])
    if 1 < len(prefix) <= 10:
        return MatchResult(ambiguous=prefix)
    return MatchResult()

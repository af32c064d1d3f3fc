"""One fuzzy look-up shared by the unit and place readers, on pre-folded vocabularies."""

from __future__ import annotations

from rapidfuzz import fuzz, process

# fuzz.ratio is 200·LCS/(len a + len b), so a choice whose length is too far from the query's can
# never reach the cutoff: each list of choices is bucketed once by the lengths that still can.
_LENGTH_BUCKETS: dict[int, tuple[list[str], dict[tuple[int, float], tuple[list[str], list[int]]]]] = {}


def _within_reach(query_len: int, choice_len: int, cutoff: float) -> bool:
    return 200 * min(query_len, choice_len) >= cutoff * (query_len + choice_len) - 1


def _candidates(choices: list[str], query_len: int, cutoff: float) -> tuple[list[str], list[int]]:
    kept, buckets = _LENGTH_BUCKETS.setdefault(id(choices), (choices, {}))
    found = buckets.get((query_len, cutoff))
    if found is None:
        index = [i for i, c in enumerate(kept) if _within_reach(query_len, len(c), cutoff)]
        found = buckets[(query_len, cutoff)] = ([kept[i] for i in index], index)
    return found


def closest(query: str, choices: list[str], cutoff: float) -> tuple[str, float, int] | None:
    """`process.extractOne(query, choices, scorer=fuzz.ratio, score_cutoff=cutoff)`, the same
    answer (first best choice, its index in `choices`) from only the choices long enough to reach
    the cutoff. `choices` must not change after its first use (the vocabularies' lists)."""
    subset, index = _candidates(choices, len(query), cutoff)
    found = process.extractOne(query, subset, scorer=fuzz.ratio, score_cutoff=cutoff)
    return (found[0], found[1], index[found[2]]) if found else None


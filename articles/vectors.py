"""PostgreSQL's search vector of a story, built where an import reads it.

The search trigger (migrations 0003, 0014 and 0025) stores::

    setweight(to_tsvector('simple', search_title), 'A') ||
    setweight(to_tsvector('simple', search_lead), 'B') ||
    setweight(to_tsvector('simple', search_text), 'C')

Folding it is half of what the database does for an imported story, and
the database's work is time the importing process waits. A process
reading JSON Lines (``importers/ready.py``) builds the same vector as a
``tsvector`` literal instead, and the trigger keeps a vector an INSERT
brings (every other write has it recomputed).

It is built only where the result is certain to be the trigger's: text
that folded to lowercase ASCII letters and digits between single spaces,
which the 'simple' configuration takes word by word, one position each,
in order. The lead's positions follow the title's and the text's the
lead's, as ``||`` does. Anything else (another script, an underscore, a
word too long to index, a story past the position or repeat limits) gives
``None`` and the trigger folds it as before. A test compares the two on
PostgreSQL, word shapes and limits included.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

_PLAIN = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")

# PostgreSQL's limits, with room for the names that join at save: positions
# above 16,383 are clamped, a lexeme keeps at most 256 positions, a word
# over 2,047 bytes is not indexed, a vector's lexemes take at most 1 MB.
LAST_POSITION = 16_383
NAMES_ROOM = 64
MAX_REPEATS = 255 - NAMES_ROOM
MAX_WORD = 2_000
MAX_CHARS = 500_000


@dataclass
class Vector:
    """A vector's literal so far and the last position it used."""

    literal: str
    last: int

    def with_names(self, names: str) -> str | None:
        """The literal with the folded byline and tag names after the text."""
        if not names:
            return self.literal
        if not _PLAIN.fullmatch(names):
            return None
        words = names.split(" ")
        if len(words) > NAMES_ROOM or self.last + len(words) > LAST_POSITION:
            return None
        if max(map(len, words)) > MAX_WORD:
            return None
        # A lexeme twice is merged by PostgreSQL's input, positions together.
        more = " ".join(
            f"'{word}':{self.last + i}C" for i, word in enumerate(words, start=1)
        )
        return f"{self.literal} {more}" if self.literal else more


# "1A", "2A", … of each weight: made once, so a word costs an append.
_LABELS: dict[str, list[str]] = {}


def _labels(weight: str) -> list[str]:
    found = _LABELS.get(weight)
    if found is None:
        found = _LABELS[weight] = [f"{i}{weight}" for i in range(LAST_POSITION + 1)]
    return found


def build(title: str, lead: str, text: str) -> Vector | None:
    """The vector of the folded title, lead and text; ``None`` when uncertain."""
    if len(title) + len(lead) + len(text) > MAX_CHARS:
        return None
    positions: defaultdict[str, list[str]] = defaultdict(list)
    at = 0
    for folded, weight in ((title, "A"), (lead, "B"), (text, "C")):
        if not folded:
            continue
        if not _PLAIN.fullmatch(folded):
            return None
        these = folded.split(" ")
        if at + len(these) > LAST_POSITION - NAMES_ROOM:
            return None
        labels = _labels(weight)[at + 1 : at + 1 + len(these)]
        for word, label in zip(these, labels, strict=True):
            positions[word].append(label)
        at += len(these)
    repeats = max(map(len, positions.values()), default=0)
    if repeats > MAX_REPEATS or max(map(len, positions), default=0) > MAX_WORD:
        return None
    literal = " ".join(
        f"'{word}':{','.join(positions[word])}" for word in sorted(positions)
    )
    return Vector(literal, at)

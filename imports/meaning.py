"""The closest meaning of a word in a file, for the columns page to pre-select (the user confirms it).

A cell is cut into its parts ("Online Safety - Grooming concern", "Online Safety, Bullying",
"Police informed (CEOP)"); a part is compared with the phrases that name each value (labels,
known words, synonyms) on their word stems, ignoring words that say nothing about the meaning
("concern", "incident", "of"). A part matches a phrase when at least half of its meaningful words
are in the phrase, one of them more telling than "informed" or "content"; the phrase sharing
most of its words wins. A cell naming several values counts
as the one ranked first in ``order`` (the most specific). Nothing is guessed from spelling alone:
"gaming" is not "gambling".
"""

from __future__ import annotations

import re

from imports import tabular

# How a cell separates a parent from its child ("Online Safety - Bullying", "A > B", "A / B") and
# several values from each other ("A, B", "A; B", "A (B)").
PARTS = re.compile(r"\s+[-–]\s+|[>/:,;()|]|\s+&\s+|\n")

# Words that carry no meaning of their own in a safeguarding log's categories and actions.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "including",
        "into",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "s",
        "concern",
        "concerns",
        "incident",
        "incidents",
        "issue",
        "issues",
        "type",
        "related",
        "regarding",
        "about",
        "re",
    ]
)

# Words too common across meanings to carry a match on their own ("Head informed" is not "Police
# informed", "Child on child abuse" not "Child sexual exploitation"): a part needs another word in common.
WEAK_WORDS = frozenset(
    [
        "informed",
        "contacted",
        "notified",
        "given",
        "content",
        "contact",
        "child",
        "children",
        "pupil",
        "student",
        "young",
        "person",
        "parents",
        "other",
        "harmful",
        "abuse",
        "online",
        "social",
        "media",
        "misuse",
        "referred",
        "referral",
        "sexual",
    ]
)

_SUFFIXES = ("ings", "ing", "ies", "ied", "ed", "es", "s", "al", "ful", "ly")


def stem(word: str) -> str:
    """A word's simple stem: referred, referral, referring → refer; bullying, bullied → bull; nudes → nud."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "aeiousl":
        word = word[:-1]  # referr → refer, but not "bull" or "cross"
    return word.rstrip("ey") if len(word) > 3 else word


def stems(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in tabular.normalise(text).split() if w not in STOP_WORDS)


def parts(text: str) -> list[str]:
    """A cell's parts, normalised: "Online Safety > Cyberbullying" → ["online safety", "cyberbullying"]."""
    return [piece for piece in (tabular.normalise(p) for p in PARTS.split(text)) if piece]


class Meanings:
    """The phrases that name each value, compared on their stems."""

    def __init__(self, phrases: dict[str, str], *, order: list[str], generic: set[str] = frozenset()):
        self.phrases = [(stems(phrase), value) for phrase, value in phrases.items() if stems(phrase)]
        self.rank = {value: index for index, value in enumerate(order)}
        # Parts that only say the log is about online safety: ignored beside a part that says what.
        self.generic = {stems(g) for g in generic}
        self.weak = stems(" ".join(WEAK_WORDS))

    def of_part(self, part: str) -> str | None:
        words = stems(part)
        if not words or words in self.generic:
            return None
        best, best_score = None, (0.0, 0.0)
        for phrase, value in self.phrases:
            shared = len(words & phrase)
            if words != phrase and (not (words & phrase) - self.weak or shared * 2 < len(words)):
                continue
            score = (shared / len(words), shared / len(words | phrase))
            if score > best_score:
                best, best_score = value, score
        return best

    def most_specific(self, values) -> str | None:
        values = [v for v in values if v]
        return min(values, key=lambda v: self.rank.get(v, len(self.rank))) if values else None

    def closest(self, text: str) -> str | None:
        """The value the cell most plausibly means, or None."""
        whole = self.of_part(text)
        pieces = parts(text)
        if len(pieces) <= 1:
            return whole
        return self.most_specific([self.of_part(p) for p in pieces]) or whole

"""Every word and symbol a reader sees for a computed value, defined once.

The calculator returns enums (:mod:`ncc_scorecard.model`); every output — appendix, portal,
changes list, JSON sentences — names them with these words. Colours are in :mod:`.palette`.
"""

from __future__ import annotations

from ..model import ChangeKind, Rag, Status, Travel

RAG_WORDS = {Rag.GREEN: "Green", Rag.AMBER: "Amber", Rag.RED: "Red"}
RAG_SYMBOLS = {Rag.GREEN: "●", Rag.AMBER: "◆", Rag.RED: "■"}
"""Shapes that repeat what the colour says (the chart draws the same shapes)."""
NO_RESULT = "No result"
NO_TARGET = "No target"
NO_SYMBOL = "–"
"""Printed for an absent judgement or figure."""

TRAVEL_WORDS = {Travel.BETTER: "Better", Travel.SAME: "Same", Travel.WORSE: "Worse"}
MOVE_SYMBOLS = {"up": "▲", "down": "▼", "same": "►"}
"""Which way the value moved (not whether that is better)."""
NO_COMPARISON = "No comparison"

STATUS_WORDS = {
    Status.UP_TO_DATE: "Up to date",
    Status.OVERDUE: "Overdue",
    Status.NO_DATA: "No data",
    Status.NOT_AVAILABLE: "Not available",
}
FREQUENCY_WORDS = {"monthly": "Monthly", "quarterly": "Quarterly", "annual": "Annual"}
POLARITY_WORDS = {"higher": "Higher", "lower": "Lower"}
COMPARATOR_WORDS = {
    "previous_period": "the period before",
    "same_period_last_year": "the same period a year before",
    "previous_year": "the previous financial year's outturn",
}
"""What the direction of travel compares with (the catalogue's ``direction``)."""

CHANGE_KIND_WORDS = {
    ChangeKind.RAG: "Performance",
    ChangeKind.OVERDUE: "Became overdue",
    ChangeKind.NO_RESULT: "No result",
}
CHANGES_HEADING = "Changes since the last period"

VARIATION = {
    # (variation, side): (symbol, word, css class, description)
    ("common_cause", None): ("~", "Common cause", "spc-common", "no significant change"),
    ("improvement", "high"): ("H▲", "Improvement", "spc-improvement", "special cause improvement, higher"),
    ("improvement", "low"): ("L▼", "Improvement", "spc-improvement", "special cause improvement, lower"),
    ("concern", "high"): ("H▲", "Concern", "spc-concern", "special cause concern, higher"),
    ("concern", "low"): ("L▼", "Concern", "spc-concern", "special cause concern, lower"),
    ("neutral", "high"): ("H▲", "Special cause", "spc-neutral", "special cause, higher, neither better nor worse"),
    ("neutral", "low"): ("L▼", "Special cause", "spc-neutral", "special cause, lower, neither better nor worse"),
}
ASSURANCE = {
    "consistent_pass": ("P", "Will pass", "spc-improvement", "the process will consistently meet the target"),
    "consistent_fail": ("F", "Will fail", "spc-concern", "the process will consistently miss the target"),
    "hit_or_miss": ("?", "Hit or miss", "spc-common", "the process will sometimes meet and sometimes miss the target"),
    "none": ("–", "No assurance", "rag-none", "no target to assure against"),
}


def performance_word(rag: Rag | None, has_result: bool = True) -> str:
    """The Performance column's word: Green, Amber, Red, No target or No result."""
    if rag is not None:
        return RAG_WORDS[rag]
    return NO_TARGET if has_result else NO_RESULT


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 measure``, ``2 measures``."""
    return f"{count} {word if count == 1 else many or word + 's'}"

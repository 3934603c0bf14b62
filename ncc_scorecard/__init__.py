"""ncc-scorecard: committee-ready performance scorecards from a catalogue and CSV results."""

__version__ = "0.1.0"

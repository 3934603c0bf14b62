"""Every colour the outputs use, defined once: the appendix and portal stylesheets (as the
Jinja global ``colours``), the SVG charts and sparklines, and the Excel templates.

GOV.UK design system colours; text on each RAG colour meets WCAG 2.2 AA contrast.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Palette:
    text: str = "#0b0c0c"
    secondary_text: str = "#505a5f"
    background: str = "#ffffff"
    border: str = "#b1b4b6"
    brand: str = "#1d3f6e"
    """Table headers, the portal's header rule, workbook headers."""
    light_grey: str = "#f3f2f1"
    """No RAG; section rows of the appendix; buttons."""
    mid_grey: str = "#dddddd"
    """Common-cause variation; chart grid lines."""
    notes: str = "#f8f8f8"
    """Comment rows."""
    section: str = "#dee0e2"
    """Section rows of the portal's tables."""
    green: str = "#00703c"
    amber: str = "#ffdd00"
    """Amber as a cell or bar background (with dark text)."""
    amber_mark: str = "#b58800"
    """Amber for a mark on white (a chart point): #ffdd00 is too pale against white."""
    red: str = "#d4351c"
    exceeding: str = "#1d70b8"
    """Blue, exceeding target: a cell or bar background (white text on it: 5.2:1) and a chart point."""
    blue: str = "#005eb8"
    """SPC improvement; the process mean."""
    orange: str = "#d47500"
    """SPC concern; special-cause rings: 3.3:1 against white (a ring on a chart), 5.9:1 with ``text`` on it."""
    purple: str = "#4c2c92"
    """SPC neutral special cause; process limits; visited links."""
    target_line: str = "#505a5f"
    benchmark_lines: tuple[str, ...] = ("#28a197", "#d53880", "#b58840")
    """Each chosen group's line on a trend chart, in order (each also has its own dash pattern);
    all at least 3:1 against white."""
    benchmark_bar: str = "#b1b4b6"
    """A neighbour's bar on the ranked chart (ours is ``brand``)."""
    sparkline_target: str = "#6f777b"
    link: str = "#1d70b8"
    link_hover: str = "#003078"
    focus: str = "#ffdd00"

    def excel(self, colour: str) -> str:
        """A colour as openpyxl takes it (``1D3F6E``)."""
        return colour.removeprefix("#").upper()


COLOURS = Palette()

"""The appendix as a tagged PDF/UA-1 file, through WeasyPrint (imported only when needed)."""

from __future__ import annotations

import functools
import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .environment import default_templates_dir, inside_project
from .pdf_tags import mend, pdf_tag

PDF_VARIANT = "pdf/ua-1"
FONT_CSS = """
@font-face { font-family: "Liberation Sans"; font-weight: normal; src: url("fonts/LiberationSans-Regular.ttf"); }
@font-face { font-family: "Liberation Sans"; font-weight: bold; src: url("fonts/LiberationSans-Bold.ttf"); }
@font-face { font-family: "Noto Sans Symbols 2"; src: url("fonts/NotoSansSymbols2-Subset.ttf"); }
html, body { font-family: "Liberation Sans", "Noto Sans Symbols 2", sans-serif; }
"""
"""The packaged fonts; ◆ and ★ (not in Liberation Sans) come from a subset of Noto Sans Symbols 2."""


def allowed_roots(project_templates: Path | None = None) -> list[Path]:
    """The only folders a report may load files from: the packaged and the project's templates
    (unless that folder is a link leading outside the project)."""
    roots = [default_templates_dir().resolve()]
    if project_templates is not None and project_templates.is_dir() and inside_project(project_templates):
        roots.append(project_templates.resolve())
    return roots


def make_url_fetcher(roots: list[Path]) -> Any:
    """A WeasyPrint URL fetcher that allows ``data:`` URLs and files inside ``roots``, nothing else."""
    from weasyprint import URLFetcher

    class LockedFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme == "file" and parts.netloc in ("", "localhost"):
                path = Path(unquote(parts.path)).resolve()
                if any(path.is_relative_to(root) for root in roots) and path.is_file():
                    return super().fetch(path.as_uri(), headers)
            raise ValueError(f"blocked: reports may only load their own assets, not {url[:80]}")

    return LockedFetcher(allowed_protocols=("data", "file"), allow_redirects=False, timeout=2)


def render_pdf(html: str, project_templates: Path | None = None) -> bytes:
    """Render appendix HTML to PDF/UA-1 bytes with the packaged font, its structure tree mended
    (pdf_tags.py); reproducible for the same HTML. The garbage collector is paused meanwhile
    (:func:`paused_collector`), and the layout's garbage collected before the PDF is written."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    with paused_collector():
        font_config = FontConfiguration()
        roots = allowed_roots(project_templates)
        fetcher = make_url_fetcher(roots)
        base = default_templates_dir().resolve().as_uri() + "/"
        fonts = CSS(string=FONT_CSS, base_url=base, url_fetcher=fetcher, font_config=font_config)
        options: dict[str, Any] = {"pdf_variant": PDF_VARIANT, "uncompressed_pdf": False, "custom_metadata": False}
        page = HTML(string=html, base_url=base, url_fetcher=fetcher)
        lean = lean_ua_stylesheet(html)
        if lean is not None:  # the same layout with a sixth of the styles
            page._ua_stylesheets = lambda forms=False: [lean]
        document = page.render(stylesheets=[fonts], font_config=font_config, **options)
        gc.collect(0)  # what laying out left behind, before writing needs as much again
        continued = continued_elements(document)
        pdf = bytes(document.write_pdf(**options))
        del document
    return mend(pdf, continued)


_UNUSED_PSEUDO_RULE_RE = re.compile(
    r"^::(?:footnote-call|footnote-marker|note-call|note-marker|note-callback) \{[^}]*\}\n", re.M
)
_USES_MARKERS_OR_NOTES_RE = re.compile(r"footnote|note-|float\s*:\s*note|::note|list-item", re.I)


@functools.cache
def _lean_ua_sheet() -> Any:
    """WeasyPrint's user-agent stylesheet without its rules for footnotes and notes, and with the
    rule for ``::marker`` narrowed to list items and summaries (None if it has no such rules)."""
    import weasyprint
    from weasyprint import CSS

    text = (Path(weasyprint.__file__).parent / "css" / "html5_ua.css").read_text(encoding="utf-8")
    lean = _UNUSED_PSEUDO_RULE_RE.sub("", text.replace("\n::marker {", "\nli::marker, summary::marker {"))
    return CSS(string=lean) if lean != text else None


def lean_ua_stylesheet(html: str) -> Any:
    """The user-agent stylesheet to lay ``html`` out with, when it can do without some of WeasyPrint's
    own rules; None to keep WeasyPrint's.

    WeasyPrint's stylesheet styles the ``::marker``, ``::footnote-call``, ``::footnote-marker`` and
    three ``::note-…`` pseudo-elements of every element: six styles per element that a report without
    footnotes, notes or list items other than ``<li>`` never uses, and two thirds of a long report's
    memory while it is laid out (a 400-measure report peaked at 474 MB, and at 365 MB without them).
    A document whose HTML or CSS mentions footnotes, notes or ``list-item`` (a project's own
    templates may) keeps WeasyPrint's stylesheet. The PDF is the same, byte for byte (tested)."""
    if _USES_MARKERS_OR_NOTES_RE.search(html):
        return None
    return _lean_ua_sheet()


@contextmanager
def paused_collector() -> Iterator[None]:
    """Python's cyclic garbage collector paused, then the two younger generations collected.

    Laying out a document allocates millions of objects that live until it is written: the collector
    would walk them again and again (a quarter of the rendering time) and find almost nothing. Every
    object made meanwhile stays in the youngest generation (or the middle one, after a collection of
    the youngest inside the block), so collecting those finds all the garbage without walking the
    oldest objects (WeasyPrint's modules, a build's project)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            gc.collect(1)


def continued_elements(document: Any) -> list[list[str]]:
    """For each page boundary, the structure types of the HTML elements laid out on both sides of
    it, outermost first (a header row repeated on each page does not count)."""
    from weasyprint.formatting_structure import boxes

    def elements(box: Any, depth: int, found: dict[int, tuple[int, str]]) -> dict[int, tuple[int, str]]:
        if isinstance(box, boxes.MarginBox) or getattr(box, "is_header", False):
            return found
        if box.element is not None and box.element_tag not in ("html", "body"):
            tag = pdf_tag(box.element_tag)
            if tag is not None:
                found.setdefault(id(box.element), (depth, tag))
        for child in getattr(box, "children", ()):
            elements(child, depth + 1, found)
        return found

    pages = [elements(page._page_box, 0, {}) for page in document.pages]
    return [
        [tag for _, tag in sorted(after[key] for key in after.keys() & before.keys())]
        for before, after in zip(pages, pages[1:], strict=False)
    ]

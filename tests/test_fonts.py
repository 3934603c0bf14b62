"""Every character the templates and the render layer print is in the packaged fonts, so a machine
with no other fonts draws no .notdef box (Matterhorn 31-030)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pikepdf
from fontTools.ttLib import TTFont
from matterhorn import Document, glyphs, shown_codes, to_unicode

ROOT = Path(__file__).resolve().parents[1]
FONTS = ROOT / "templates" / "fonts"


def packaged_characters() -> set[int]:
    covered: set[int] = set()
    for path in FONTS.glob("*.ttf"):
        covered |= set(TTFont(path).getBestCmap())
    return covered


def printed_characters() -> set[str]:
    """Non-ASCII characters of the render layer's string literals (not its docstrings) and of the
    appendix templates and stylesheet; not format characters (a word joiner, a byte order mark),
    which have no glyph."""
    found: set[str] = set()
    for path in (ROOT / "ncc_scorecard" / "render").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                found |= {c for c in node.value if ord(c) > 127}
    for path in [*ROOT.joinpath("templates").glob("*.j2"), ROOT / "templates" / "appendix.css"]:
        found |= {c for c in path.read_text(encoding="utf-8") if ord(c) > 127}
    return {c for c in found if unicodedata.category(c) != "Cf"}


def test_every_printed_character_is_in_the_packaged_fonts() -> None:
    printed = printed_characters()
    assert {"●", "◆", "■", "★", "▲", "▼", "–"} <= printed  # the scan sees the symbols
    missing = sorted(c for c in printed if ord(c) not in packaged_characters())
    assert missing == []


RENDER = """
import sys
from ncc_scorecard.render.pdf import render_pdf
html = '<!DOCTYPE html><html lang="en"><head><title>Symbols</title></head><body><p>' + sys.argv[2] + '</p>'
html += '<p><b>' + sys.argv[2] + '</b></p></body></html>'
open(sys.argv[1], "wb").write(render_pdf(html))
"""


def test_a_machine_with_only_the_packaged_fonts_draws_no_notdef(tmp_path: Path) -> None:
    """Render with fontconfig seeing only templates/fonts (in a process of its own): every printed
    character, in regular and bold, is drawn from a real glyph and reads back as itself."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig><dir>{FONTS}</dir><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    text = "".join(sorted(printed_characters())) + " Amber Green"
    out = tmp_path / "symbols.pdf"
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", RENDER, str(out), text], check=True, env=env, timeout=120)
    with pikepdf.open(out) as pdf:
        document = Document(pdf)
        assert glyphs(document) == []
        fonts = {str(font.get("/BaseFont")).split("+")[-1] for _, font, _ in shown_codes(document)}
        assert all(name.startswith(("Liberation", "Noto-Sans-Symbols-2")) for name in fonts), fonts
        shown = {to_unicode(font).get(code, "") for _, font, code in shown_codes(document)}
    assert set(text) - {" "} <= set("".join(shown))

#!/usr/bin/env python3
"""Make templates/fonts/NotoSansSymbols2-Subset.ttf: the symbols Liberation Sans lacks (◆ ★), from
Noto Sans Symbols 2 (SIL Open Font License 1.1, licence in templates/fonts/), scaled to 76 % so they
stand beside Liberation Sans's ● ■ ▲ at about the size a system fallback font gives them, with
Liberation Sans's line metrics.

    npm pack @fontsource/noto-sans-symbols-2 && tar xzf fontsource-noto-sans-symbols-2-*.tgz
    python scripts/make-symbol-font.py package/files/noto-sans-symbols-2-symbols-400-normal.woff

Run again (and check tests/test_fonts.py) when the templates print a new symbol.
"""

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

SYMBOLS = "◆★"
SCALE = 0.76
TARGET = Path(__file__).resolve().parents[1] / "templates" / "fonts" / "NotoSansSymbols2-Subset.ttf"

font = TTFont(sys.argv[1])
font.flavor = None
options = subset.Options()
options.layout_features = []
options.name_IDs = ["*"]
options.hinting = False
subsetter = subset.Subsetter(options)
subsetter.populate(unicodes=[ord(symbol) for symbol in SYMBOLS])
subsetter.subset(font)
font["head"].unitsPerEm = em = round(font["head"].unitsPerEm / SCALE)  # the same outlines in a larger em
# Liberation Sans's vertical metrics (0.905 em up, 0.212 down), so a line holding a symbol is no taller
ascent, descent = round(0.905 * em), round(0.212 * em)
font["hhea"].ascent, font["hhea"].descent, font["hhea"].lineGap = ascent, -descent, 0
os2 = font["OS/2"]
os2.sTypoAscender, os2.sTypoDescender, os2.sTypoLineGap = ascent, -descent, 0
os2.usWinAscent, os2.usWinDescent = ascent, descent
font.save(TARGET)
print(f"{TARGET}: {sorted(hex(code) for code in font.getBestCmap())}")

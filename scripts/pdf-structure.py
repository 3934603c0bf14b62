#!/usr/bin/env python3
"""Print a tagged PDF's structure tree in reading order: one line per element, indented by depth,
with its /Alt, /ActualText, /ID, /Scope, /Headers and the text of its marked content.

    python scripts/pdf-structure.py out/childrens-safeguarding.pdf [--no-text]

Marked content the tree does not reach is listed at the end (it should be an artifact).
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict

import pikepdf

HEX = re.compile(rb"<([0-9a-fA-F]+)>")


def to_unicode(font: pikepdf.Dictionary) -> dict[int, str]:
    """A font's glyph → text map from its /ToUnicode CMap (bfchar and bfrange entries)."""
    if "/ToUnicode" not in font:
        return {}
    data = font.ToUnicode.read_bytes()
    table: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        pairs = HEX.findall(block)
        for glyph, text in zip(pairs[::2], pairs[1::2], strict=False):
            table[int(glyph, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be", "replace")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        values = HEX.findall(block)
        for low, high, start in zip(values[::3], values[1::3], values[2::3], strict=False):
            first = bytes.fromhex(start.decode()).decode("utf-16-be", "replace")
            for offset, glyph in enumerate(range(int(low, 16), int(high, 16) + 1)):
                table[glyph] = chr(ord(first[-1]) + offset)
    return table


def marked_text(pdf: pikepdf.Pdf) -> dict[tuple[int, int], str]:
    """(page index, MCID) → the text shown inside that marked-content sequence."""
    texts: dict[tuple[int, int], str] = defaultdict(str)
    for index, page in enumerate(pdf.pages):
        fonts = {name: to_unicode(font) for name, font in page.Resources.get("/Font", {}).items()}
        current: dict[int, str] = {}
        stack: list[int | None] = []
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op == "BDC":
                props = operands[1]
                stack.append(int(props.MCID) if isinstance(props, pikepdf.Dictionary) and "/MCID" in props else None)
            elif op == "BMC":
                stack.append(None)
            elif op == "EMC" and stack:
                stack.pop()
            elif op == "Tf":
                current = fonts.get(str(operands[0]), {})
            elif op in ("Tj", "TJ") and stack and stack[-1] is not None:
                items = operands[0] if op == "TJ" else [operands[0]]
                for item in items:
                    if isinstance(item, pikepdf.String):
                        raw = bytes(item)
                        texts[index, stack[-1]] += "".join(
                            current.get(int.from_bytes(raw[i : i + 2], "big"), "\ufffd") for i in range(0, len(raw), 2)
                        )
    return texts


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    show_text = "--no-text" not in argv
    pdf = pikepdf.open(argv[0])
    pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
    texts = marked_text(pdf) if show_text else {}
    reached: set[tuple[int, int]] = set()

    def describe(element: pikepdf.Dictionary) -> str:
        parts = [str(element.get("/S", "?"))[1:]]
        for key in ("/Alt", "/ActualText", "/ID"):
            if key in element:
                parts.append(f"{key[1:]}={str(element[key])!r}")
        attributes = element.get("/A")
        for attribute in attributes if isinstance(attributes, pikepdf.Array) else [attributes]:
            if isinstance(attributes, pikepdf.Dictionary | pikepdf.Array) and attribute is not None:
                for key in ("/Scope", "/Headers", "/ColSpan", "/RowSpan"):
                    if key in attribute:
                        value = attribute[key]
                        shown = [str(v) for v in value] if isinstance(value, pikepdf.Array) else str(value)
                        parts.append(f"{key[1:]}={shown}")
        return " ".join(parts)

    def walk(element: pikepdf.Dictionary, depth: int) -> None:
        page = pages.get(element.Pg.objgen) if "/Pg" in element else None
        kids = element.get("/K")
        kids = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        text = ""
        children = []
        for kid in kids:
            if isinstance(kid, int):
                reached.add((page, int(kid)))
                text += texts.get((page, int(kid)), "")
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                key = (pages.get(kid.Pg.objgen, page), int(kid.MCID))
                reached.add(key)
                text += texts.get(key, "")
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                children.append(("objr", kid))
            elif isinstance(kid, pikepdf.Dictionary):
                children.append(("elem", kid))
        line = "  " * depth + describe(element)
        if text.strip():
            line += f"  “{text.strip()[:100]}”"
        print(line)
        for kind, child in children:
            if kind == "objr":
                print("  " * (depth + 1) + f"OBJR {str(child.Obj.get('/Subtype', ''))[1:]}")
            else:
                walk(child, depth + 1)

    root = pdf.Root.StructTreeRoot
    for kid in root.K if isinstance(root.K, pikepdf.Array) else [root.K]:
        walk(kid, 0)
    if show_text:
        stray = sorted(key for key in texts if key not in reached)
        if stray:
            print(f"\nMarked content not reached from the tree ({len(stray)}):")
            for page, mcid in stray:
                print(f"  page {page + 1} MCID {mcid}: “{texts[page, mcid].strip()[:80]}”")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

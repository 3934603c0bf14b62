"""Machine checks of PDF/UA-1 (ISO 14289-1) after the Matterhorn Protocol 1.1, with pikepdf.

Each check names its checkpoint (or the clause of ISO 32000-1 it rests on) and returns the
failures it found as text; :func:`failures` runs them all. They are written from the protocol's
conditions, not from what this project writes, so they hold for any tagged PDF.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pikepdf
from fontTools.ttLib import TTFont

# ISO 32000-1 14.8.4: the standard structure types
STANDARD = set(
    "Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H H1 H2 H3 H4 H5 H6 "
    "L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry Code Link Annot "
    "Ruby RB RT RP Warichu WT WP Figure Formula Form".split()
)
PAINTING = {"Tj", "TJ", "'", '"', "Do", "f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "sh", "BI"}
HEX = re.compile(rb"<([0-9a-fA-F]+)>")


@dataclass
class Element:
    """A structure element with what the checks need."""

    node: pikepdf.Dictionary
    type: str
    parent: Element | None
    page: int | None
    children: list[Element] = field(default_factory=list)
    mcids: list[tuple[int, int]] = field(default_factory=list)  # (page, MCID)
    objects: list[pikepdf.Object] = field(default_factory=list)  # annotations in OBJR

    def walk(self) -> Iterator[Element]:
        yield self
        for child in self.children:
            yield from child.walk()

    def attribute(self, key: str) -> pikepdf.Object | None:
        attributes = self.node.get("/A")
        for attribute in attributes if isinstance(attributes, pikepdf.Array) else [attributes]:
            if isinstance(attribute, pikepdf.Dictionary) and key in attribute:
                return attribute[key]
        return None


class Document:
    """A PDF read once for all the checks: its structure tree and its marked content."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        self.pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
        root = pdf.Root.get("/StructTreeRoot")
        self.root = root
        self.elements: list[Element] = []
        self.nodes: dict[tuple[int, int], Element] = {}
        if root is not None:
            kids = root.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
                self.elements.append(self._read(kid, None))
        self.content = {index: list(pikepdf.parse_content_stream(page)) for index, page in enumerate(pdf.pages)}

    def _read(self, node: pikepdf.Dictionary, parent: Element | None) -> Element:
        page = self.pages.get(node.Pg.objgen) if "/Pg" in node else (parent.page if parent else None)
        element = Element(node, str(node.get("/S", "/?"))[1:], parent, page)
        self.nodes[node.objgen] = element
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
            if isinstance(kid, int):
                element.mcids.append((page if page is not None else -1, int(kid)))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                kid_page = self.pages.get(kid.Pg.objgen, -1) if "/Pg" in kid else page
                element.mcids.append((kid_page if kid_page is not None else -1, int(kid.MCID)))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                element.objects.append(kid.Obj)
            elif isinstance(kid, pikepdf.Dictionary):
                element.children.append(self._read(kid, element))
        return element

    def all(self) -> Iterator[Element]:
        for element in self.elements:
            yield from element.walk()

    def of_type(self, *types: str) -> list[Element]:
        return [element for element in self.all() if element.type in types]

    def role(self, type_: str) -> str:
        """The standard type a type maps to through the RoleMap (itself when it is not mapped)."""
        role_map = self.root.get("/RoleMap", {}) if self.root is not None else {}
        seen = set()
        while f"/{type_}" in role_map and type_ not in seen:
            seen.add(type_)
            type_ = str(role_map[f"/{type_}"])[1:]
        return type_


Check = Callable[[Document], list[str]]
CHECKS: list[Check] = []


def check(function: Check) -> Check:
    CHECKS.append(function)
    return function


def failures(pdf: pikepdf.Pdf) -> list[str]:
    """Every failure of every check, each prefixed with the check's name."""
    document = Document(pdf)
    return [f"{function.__name__}: {failure}" for function in CHECKS for failure in function(document)]


@check
def tagged(document: Document) -> list[str]:
    """UA1:7.1: MarkInfo /Marked true and a StructTreeRoot; 01-007: no /Suspects true."""
    mark_info = document.pdf.Root.get("/MarkInfo", {})
    found = []
    if mark_info.get("/Marked") is not True:
        found.append("MarkInfo /Marked is not true")
    if mark_info.get("/Suspects") is True:  # 01-007
        found.append("MarkInfo /Suspects is true")
    if document.root is None or not document.elements:
        found.append("no StructTreeRoot or an empty structure tree")
    return found


@check
def marked_content(document: Document) -> list[str]:
    """01-003 / 01-004: no artifact inside tagged content and no tagged content inside an artifact;
    01-005: nothing painted outside both; every MCID reached from the tree (UA1:7.1-2)."""
    reached = {mcid for element in document.all() for mcid in element.mcids}
    found = []
    for page, operations in document.content.items():
        stack: list[str] = []  # "artifact", "tagged" or "other" for each open sequence
        for operands, operator in operations:
            op = str(operator)
            if op in ("BDC", "BMC"):
                tag = str(operands[0])
                properties = operands[1] if op == "BDC" else None
                if tag == "/Artifact":
                    if "tagged" in stack:  # 01-003
                        found.append(f"page {page + 1}: an artifact inside tagged content")
                    stack.append("artifact")
                elif isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
                    if "artifact" in stack:  # 01-004
                        found.append(f"page {page + 1}: tagged content inside an artifact")
                    if (page, int(properties.MCID)) not in reached:  # 01-005
                        found.append(f"page {page + 1}: MCID {int(properties.MCID)} is not reached from the tree")
                    stack.append("tagged")
                else:
                    stack.append("other")
            elif op == "EMC" and stack:
                stack.pop()
            elif op in PAINTING and not ({"artifact", "tagged"} & set(stack)):  # 01-005
                found.append(f"page {page + 1}: {op} neither an artifact nor tagged")
    return sorted(set(found))


@check
def parent_tree(document: Document) -> list[str]:
    """ISO 32000-1 14.7.4.4: the parent tree maps each page's MCIDs to the element holding them,
    and each element holding marked content is in the tree (not an orphan the parent tree names)."""
    if document.root is None or "/ParentTree" not in document.root:
        return ["no ParentTree"]
    entries: dict[int, pikepdf.Object] = {}

    def read(node: pikepdf.Dictionary) -> None:
        nums = node.get("/Nums", [])
        for key, value in zip(list(nums)[::2], list(nums)[1::2], strict=True):
            entries[int(key)] = value
        for kid in node.get("/Kids", []):
            read(kid)

    read(document.root.ParentTree)
    found = []
    for element in document.all():
        for page, mcid in element.mcids:
            struct_parents = document.pdf.pages[page].get("/StructParents")
            array = entries.get(int(struct_parents)) if struct_parents is not None else None
            if not isinstance(array, pikepdf.Array) or mcid >= len(array) or array[mcid].objgen != element.node.objgen:
                found.append(f"page {page + 1} MCID {mcid} ({element.type}): the parent tree names another element")
    for value in entries.values():
        for node in value if isinstance(value, pikepdf.Array) else [value]:
            if isinstance(node, pikepdf.Dictionary) and node.objgen not in document.nodes:
                found.append(f"the parent tree names a {node.get('/S')} that is not in the structure tree")
    return found


@check
def standard_types(document: Document) -> list[str]:
    """02-001: every type maps to a standard type; 02-004: no standard type is remapped."""
    found = [f"non-standard type {e.type}" for e in document.all() if document.role(e.type) not in STANDARD]
    role_map = document.root.get("/RoleMap", {}) if document.root is not None else {}
    found += [f"standard type {key} remapped" for key in role_map.keys() if key[1:] in STANDARD]
    return found


@check
def metadata(document: Document) -> list[str]:
    """06-001: an XMP metadata stream; 06-002: with the PDF/UA identifier (part 1); 06-003: dc:title;
    07-001 / 07-002: DisplayDocTitle true; 11-001 / 11-006: the document's natural language."""
    root = document.pdf.Root
    if "/Metadata" not in root:
        return ["06-001 no XMP metadata stream"]
    xmp = root.Metadata.read_bytes().decode("utf-8", "replace")
    found = []
    if not re.search(r"pdfuaid:part(>\s*1\s*<|=[\"']1[\"'])", xmp):
        found.append("06-002 no pdfuaid:part 1 in the XMP metadata")
    if "dc:title" not in xmp:
        found.append("06-003 no dc:title in the XMP metadata")
    if root.get("/ViewerPreferences", {}).get("/DisplayDocTitle") is not True:
        found.append("07-001/07-002 DisplayDocTitle is not true")
    if not str(root.get("/Lang", "")).strip():
        found.append("11-001 no /Lang in the catalogue")
    return found


@check
def tables(document: Document) -> list[str]:
    """09-004: tables as ISO 32000-1 Table 337 has them: a Table holds TR or THead, TBody, TFoot
    (and a Caption, first or last); those hold TR; a TR holds TH and TD; TH and TD sit in a TR."""
    found = []
    for element in document.all():
        kind = document.role(element.type)
        kids = [document.role(child.type) for child in element.children]
        if kind == "Table":
            if any(kid not in ("TR", "THead", "TBody", "TFoot", "Caption") for kid in kids):
                found.append(f"a Table holds {kids}")
            if "Caption" in kids and kids.index("Caption") not in (0, len(kids) - 1) or kids.count("Caption") > 1:
                found.append("a Table's Caption is not its first or last child")
            if kids.count("THead") > 1 or kids.count("TFoot") > 1:
                found.append(f"a Table has {kids.count('THead')} THead and {kids.count('TFoot')} TFoot")
            if "TR" in kids and any(kid in ("THead", "TBody", "TFoot") for kid in kids):
                found.append("a Table holds rows both directly and in row groups")
        elif kind in ("THead", "TBody", "TFoot"):
            if any(kid != "TR" for kid in kids) or not kids:
                found.append(f"a {kind} holds {kids}")
            if element.parent is None or document.role(element.parent.type) != "Table":
                found.append(f"a {kind} outside a Table")
        elif kind == "TR":
            if any(kid not in ("TH", "TD") for kid in kids) or not kids:
                found.append(f"a TR holds {kids}")
            parent = document.role(element.parent.type) if element.parent else None
            if parent not in ("Table", "THead", "TBody", "TFoot"):
                found.append(f"a TR in a {parent}")
        elif kind in ("TH", "TD"):
            if element.parent is None or document.role(element.parent.type) != "TR":
                found.append(f"a {kind} outside a TR")
        elif kind == "Caption" and element.parent and document.role(element.parent.type) != "Table":
            pass  # a caption of a figure or a list is fine
    return found


@check
def table_headers(document: Document) -> list[str]:
    """15-003: each TH has a Scope (so the table does not rest on Headers alone); ISO 32000-1
    14.8.5.7: each ID a cell's Headers names is a TH's; 14.7.2 (Table 322): every /ID is in the
    IDTree, once, naming its element."""
    found = []
    ids: dict[str, Element] = {}
    for element in document.all():
        if "/ID" in element.node:
            key = bytes(element.node.ID).decode("latin-1")
            if key in ids:
                found.append(f"ID {key!r} used twice")
            ids[key] = element
    for cell in document.of_type("TH"):
        if document.role(cell.type) == "TH" and str(cell.attribute("/Scope")) not in ("/Row", "/Column", "/Both"):
            found.append(f"a TH without Scope (ID {cell.node.get('/ID')})")  # 15-003
    for cell in document.of_type("TD", "TH"):
        headers = cell.attribute("/Headers")
        for header in headers if isinstance(headers, pikepdf.Array) else []:
            target = ids.get(bytes(header).decode("latin-1"))
            if target is None or document.role(target.type) != "TH":
                found.append(f"a cell's Headers names {str(header)!r}, which is no TH's ID")
    if ids:
        tree = document.root.get("/IDTree")
        if tree is None:
            return [*found, "cells carry /ID but there is no IDTree"]
        named: dict[str, pikepdf.Object] = {}

        def read(node: pikepdf.Dictionary) -> None:
            names = list(node.get("/Names", []))
            for key, value in zip(names[::2], names[1::2], strict=True):
                named[bytes(key).decode("latin-1")] = value
            for kid in node.get("/Kids", []):
                read(kid)

        read(tree)
        for key, element in ids.items():
            if key not in named or named[key].objgen != element.node.objgen:
                found.append(f"ID {key!r} is not in the IDTree or names another element")
    return found


@check
def figures(document: Document) -> list[str]:
    """13-004: every Figure has alternative text (Alt or ActualText)."""
    return [
        "a Figure without Alt"
        for figure in document.of_type("Figure")
        if not str(figure.node.get("/Alt", figure.node.get("/ActualText", ""))).strip()
    ]


@check
def headings(document: Document) -> list[str]:
    """14-002: the first numbered heading is H1; 14-003: no level skipped on the way down."""
    levels = [int(e.type[1]) for e in document.all() if re.fullmatch(r"H[1-6]", document.role(e.type))]
    found = []
    if levels and levels[0] != 1:
        found.append(f"the first heading is H{levels[0]}")
    found += [f"H{b} follows H{a}" for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    return found


@check
def annotations(document: Document) -> list[str]:
    """28-011: each link annotation is in a Link element (by OBJR and its StructParent);
    28-012: it has a Contents description; 28-008 / 28-009: its page has /Tabs /S."""
    in_links = {obj.objgen for element in document.of_type("Link") for obj in element.objects}
    found = []
    for index, page in enumerate(document.pdf.pages):
        annots = [a for a in page.get("/Annots", []) if a.get("/Subtype") not in ("/Popup", "/PrinterMark")]
        if annots and page.get("/Tabs") != "/S":
            found.append(f"page {index + 1} has annotations but no /Tabs /S")
        for annotation in annots:
            if annotation.get("/Subtype") == "/Link":
                if annotation.objgen not in in_links or "/StructParent" not in annotation:
                    found.append(f"page {index + 1}: a link annotation outside a Link element")
                if not str(annotation.get("/Contents", "")).strip():
                    found.append(f"page {index + 1}: a link annotation without Contents")
    return found


def fonts(pdf: pikepdf.Pdf) -> Iterator[tuple[int, str, pikepdf.Dictionary]]:
    for index, page in enumerate(pdf.pages):
        for name, font in page.Resources.get("/Font", {}).items():
            yield index, name, font


@check
def embedded_fonts(document: Document) -> list[str]:
    """31-009: every font's program is embedded."""
    found = []
    for _, _, font in fonts(document.pdf):
        described = font.DescendantFonts[0] if "/DescendantFonts" in font else font
        descriptor = described.get("/FontDescriptor")
        if font.get("/Subtype") != "/Type3" and not (
            descriptor is not None and any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
        ):
            found.append(f"font {font.get('/BaseFont')} is not embedded")
    return sorted(set(found))


def shown_codes(document: Document) -> Iterator[tuple[int, pikepdf.Dictionary, int]]:
    """(page, font, character code) for each character shown (two-byte codes for Type0 fonts)."""
    for index, page in enumerate(document.pdf.pages):
        font_dicts = dict(page.Resources.get("/Font", {}).items())
        font = None
        for operands, operator in document.content[index]:
            op = str(operator)
            if op == "Tf":
                font = font_dicts.get(str(operands[0]))
            elif op in ("Tj", "TJ", "'", '"') and font is not None:
                items = operands[0] if op == "TJ" else [operands[-1]]
                for item in items:
                    if isinstance(item, pikepdf.String):
                        raw = bytes(item)
                        width = 2 if font.get("/Subtype") == "/Type0" else 1
                        for i in range(0, len(raw), width):
                            yield index, font, int.from_bytes(raw[i : i + width], "big")


def to_unicode(font: pikepdf.Dictionary) -> dict[int, str]:
    if "/ToUnicode" not in font:
        return {}
    data = font.ToUnicode.read_bytes()
    table: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        values = HEX.findall(block)
        for code, text in zip(values[::2], values[1::2], strict=False):
            table[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be", "replace")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        values = HEX.findall(block)
        for low, high, start in zip(values[::3], values[1::3], values[2::3], strict=False):
            first = bytes.fromhex(start.decode()).decode("utf-16-be", "replace")
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                table[code] = chr(ord(first[-1]) + offset)
    return table


def glyph_count(descendant: pikepdf.Dictionary) -> int | None:
    """How many glyphs an embedded TrueType font program has (None: not TrueType)."""
    descriptor = descendant.get("/FontDescriptor")
    if descriptor is None or "/FontFile2" not in descriptor:
        return None
    return int(TTFont(io.BytesIO(descriptor.FontFile2.read_bytes()))["maxp"].numGlyphs)


@check
def glyphs(document: Document) -> list[str]:
    """31-030: no character shown references the .notdef glyph (glyph 0); 31-011: the embedded font
    program has every glyph shown; 10-001: each character code shown maps to Unicode (ToUnicode)."""
    found = set()
    maps: dict[tuple[int, int], dict[int, str]] = {}
    counts: dict[tuple[int, int], int | None] = {}
    for page, font, code in shown_codes(document):
        descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else None
        glyph = code
        if descendant is not None and isinstance(descendant.get("/CIDToGIDMap"), pikepdf.Stream):
            data = descendant.CIDToGIDMap.read_bytes()
            glyph = int.from_bytes(data[2 * code : 2 * code + 2], "big")
        if descendant is not None and glyph == 0:
            found.add(f"page {page + 1}: .notdef shown in {font.get('/BaseFont')}")
        if descendant is not None:
            count = counts.setdefault(font.objgen, glyph_count(descendant))
            if count is not None and glyph >= count:  # drawn as .notdef
                found.add(f"page {page + 1}: glyph {glyph} is not in {font.get('/BaseFont')}")
        table = maps.setdefault(font.objgen, to_unicode(font))
        if font.get("/Subtype") == "/Type0" and code not in table:
            found.add(f"page {page + 1}: code {code} of {font.get('/BaseFont')} has no Unicode")
    return sorted(found)

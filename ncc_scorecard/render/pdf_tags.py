"""Mend the structure tree WeasyPrint writes so that the PDF passes PDF/UA-1 (Matterhorn Protocol).

WeasyPrint tags each page on its own: a table split over pages becomes one ``Table`` per page with
the header row read again on each, and the running footer's marked content points at elements that
are not in the tree. :func:`mend` takes the PDF bytes and, for each page boundary, the tags of the
HTML elements continued across it (from the laid-out pages), and

- joins the parts of each continued element into one element (one ``Table`` per HTML table),
- marks the repeated header rows and everything the tree does not reach (the running footer) as
  ``/Artifact /Type /Pagination``, pointing the cells below a repeated header at the first one,
- gives header cells ``/Scope``, points a full-width cell (comments, actions) at its measure's row
  header, and writes the ``/IDTree`` for the cells' ``/ID``.

The result is saved deterministically: the same input gives the same bytes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from typing import Any

BDC = re.compile(rb"/[A-Za-z]+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
PAGINATION = b"/Artifact <</Type /Pagination>> BDC"
HTML_TAGS = {"main": "/Part", "section": "/Sect", "article": "/Art", "div": "/Div", "p": "/P", "table": "/Table"}
HTML_TAGS |= {"thead": "/THead", "tbody": "/TBody", "tfoot": "/TFoot", "tr": "/TR", "td": "/TD", "th": "/TH"}
HTML_TAGS |= {"ul": "/L", "ol": "/L", "dl": "/L", "li": "/LI", "blockquote": "/BlockQuote"}


def pdf_tag(html_tag: str) -> str | None:
    """The structure type WeasyPrint gives a block element (None: not one that is joined)."""
    return HTML_TAGS.get(html_tag)


def kids(element: Any) -> list[Any]:
    value = element.get("/K")
    if value is None:
        return []
    return list(value) if isinstance(value, _pikepdf().Array) else [value]


def elements(element: Any) -> list[Any]:
    """An element's child structure elements (not its marked content or object references)."""
    pikepdf = _pikepdf()
    return [kid for kid in kids(element) if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem"]


def walk(element: Any) -> Iterator[Any]:
    yield element
    for kid in elements(element):
        yield from walk(kid)


def _pikepdf() -> Any:
    import pikepdf

    return pikepdf


class Mender:
    """One PDF's structure tree as it is mended."""

    def __init__(self, pdf: Any) -> None:
        self.pdf = pdf
        self.pikepdf = _pikepdf()
        self.root = pdf.Root.StructTreeRoot
        self.document = self.root.K[0] if isinstance(self.root.K, self.pikepdf.Array) else self.root.K
        self.pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
        self.header_ids: dict[str, str] = {}  # a repeated header cell's /ID → the first header's

    def page_of(self, element: Any) -> int:
        return self.pages.get(element.Pg.objgen, -1) if "/Pg" in element else -1

    def join_pages(self, continued: Sequence[Sequence[str]]) -> None:
        """Join each element continued across a page boundary with its part on the page before."""
        for page, chain in enumerate(continued, start=1):
            top = elements(self.document)
            before = [kid for kid in top if 0 <= self.page_of(kid) < page]
            after = [kid for kid in top if self.page_of(kid) == page]
            if before and after:
                self.join(before[-1], after[0], list(chain))

    def join(self, first: Any, second: Any, chain: list[str]) -> None:
        """Join ``second`` (the first element on a page) into ``first`` (the last on the page before)
        while both have the structure type of the next continued HTML element."""
        tag = str(first.S)
        if tag != str(second.S):
            return
        if tag == "/NonStruct":  # an anonymous box of the element joined one level up
            pass
        elif chain and chain[0] == tag:
            chain = chain[1:]
        else:
            return
        last = elements(first)
        following = elements(second)
        if tag == "/Table" and following and str(following[0].S) == "/THead":
            self.drop_repeated_header(first, following.pop(0))
        self.move_kids(second, first)
        if last and following:
            self.join(last[-1], following[0], chain)

    def drop_repeated_header(self, table: Any, header: Any) -> None:
        """Take a header repeated on a later page out of the tree (its content becomes an artifact),
        remembering which cell of the first header each of its cells repeats."""
        original = next((kid for kid in elements(table) if str(kid.S) == "/THead"), None)
        if original is not None:
            first_cells = [cell for cell in walk(original) if "/ID" in cell]
            repeated_cells = [cell for cell in walk(header) if "/ID" in cell]
            for repeated, cell in zip(repeated_cells, first_cells, strict=False):
                self.header_ids[str(repeated.ID)] = str(cell.ID)
        self.remove(header)

    def remove(self, element: Any) -> None:
        parent = element.P
        parent.K = self.pikepdf.Array([kid for kid in kids(parent) if kid.objgen != element.objgen])

    def move_kids(self, source: Any, target: Any) -> None:
        """Move every kid of ``source`` to the end of ``target`` and take ``source`` out of the tree."""
        pikepdf = self.pikepdf
        moved = kids(target)
        for kid in kids(source):
            if isinstance(kid, int):  # marked content on source's page: name the page
                kid = self.pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=source.Pg, MCID=kid))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                kid.P = target
            moved.append(kid)
        target.K = pikepdf.Array(moved)
        self.remove(source)

    def mend_tables(self) -> None:
        """Scope on header cells; repeated headers' cells pointed at the first; full-width cells
        (comments, actions) pointed at their row group's row header."""
        pikepdf = self.pikepdf
        for table in walk(self.document):
            if str(table.get("/S")) != "/Table":
                continue
            for group in elements(table):
                row_header = None
                for cell in walk(group):
                    attributes = cell.get("/A")
                    if not isinstance(attributes, pikepdf.Dictionary):
                        continue
                    spans = int(attributes.get("/ColSpan", 1)) > 1
                    if str(cell.S) == "/TH":
                        column = str(group.S) == "/THead" or spans
                        attributes.Scope = pikepdf.Name.Column if column else pikepdf.Name.Row
                        if not column and row_header is None and "/ID" in cell:
                            row_header = cell.ID
                    elif str(cell.S) == "/TD" and "/Headers" in attributes:
                        if spans and row_header is not None:
                            attributes.Headers = pikepdf.Array([row_header])
                        else:
                            attributes.Headers = pikepdf.Array(
                                [pikepdf.String(self.header_ids.get(str(h), str(h))) for h in attributes.Headers]
                            )

    def write_id_tree(self) -> None:
        pikepdf = self.pikepdf
        named = sorted(((str(e.ID), e) for e in walk(self.document) if "/ID" in e), key=lambda item: item[0])
        names = pikepdf.Array()
        for key, element in named:
            names.append(pikepdf.String(key))
            names.append(element)
        if named:
            self.root.IDTree = pikepdf.Dictionary(Names=names)

    def reached(self) -> set[tuple[int, int]]:
        """(page, MCID) of the marked content the tree reaches."""
        pikepdf = self.pikepdf
        found: set[tuple[int, int]] = set()
        for element in walk(self.document):
            for kid in kids(element):
                if isinstance(kid, int):
                    found.add((self.page_of(element), int(kid)))
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                    found.add((self.pages.get(kid.Pg.objgen, -1), int(kid.MCID)))
        return found

    def mend_parent_tree(self) -> None:
        """Point the parent tree at the elements now holding each sequence; the sequences nothing in
        the tree reaches become pagination artifacts."""
        pikepdf = self.pikepdf
        reached = self.reached()
        holder: dict[tuple[int, int], Any] = {}
        annotations: dict[tuple[int, int], Any] = {}
        for element in walk(self.document):
            for kid in kids(element):
                if isinstance(kid, int):
                    holder[self.page_of(element), int(kid)] = element
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                    holder[self.pages.get(kid.Pg.objgen, -1), int(kid.MCID)] = element
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                    annotations[kid.Obj.objgen] = element
        by_struct_parent = {
            int(annotation.StructParent): annotation.objgen
            for page in self.pdf.pages
            for annotation in page.get("/Annots", [])
            if "/StructParent" in annotation
        }
        nums = list(self.root.ParentTree.Nums)
        mended = pikepdf.Array()
        for key, value in zip(nums[::2], nums[1::2], strict=True):
            index = int(key)
            if isinstance(value, pikepdf.Array) and index < len(self.pdf.pages):
                value = pikepdf.Array([holder.get((index, mcid), None) for mcid in range(len(value))])
                artifacts = {mcid for mcid in range(len(value)) if (index, mcid) not in reached}
                if artifacts:
                    self.mark_artifacts(self.pdf.pages[index], artifacts)
            elif index in by_struct_parent:  # a link's element, perhaps now joined into another
                value = annotations.get(by_struct_parent[index], value)
            mended.append(index)
            mended.append(value)
        self.root.ParentTree = self.pdf.make_indirect(pikepdf.Dictionary(Nums=mended))

    def mark_artifacts(self, page: Any, mcids: set[int]) -> None:
        contents = page.Contents
        streams = list(contents) if isinstance(contents, self.pikepdf.Array) else [contents]
        data = b"\n".join(stream.read_bytes() for stream in streams)

        def replace(match: re.Match[bytes]) -> bytes:
            return PAGINATION if int(match.group(1)) in mcids else match.group(0)

        page.Contents = self.pdf.make_stream(BDC.sub(replace, data))


def mend(pdf_bytes: bytes, continued: Sequence[Sequence[str]]) -> bytes:
    """The PDF with its structure tree mended (see the module's docstring). ``continued[i]`` holds the
    structure types of the HTML elements continued from page i + 1 onto page i + 2, outermost first."""
    pikepdf = _pikepdf()
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        mender = Mender(pdf)
        mender.join_pages(continued)
        mender.mend_tables()
        mender.write_id_tree()
        mender.mend_parent_tree()
        out = io.BytesIO()
        pdf.save(
            out,
            deterministic_id=True,
            compress_streams=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
        )
        return out.getvalue()

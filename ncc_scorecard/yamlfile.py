"""Safe YAML loading that remembers the line of every mapping and key."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import yaml

from .numbers import out_of_range
from .problems import Problem, not_text, unreadable


class LineDict(dict):  # type: ignore[type-arg]
    """A mapping from the YAML file, with ``line`` (its first line) and ``key_lines``."""

    line: int = 0
    key_lines: dict[Any, int]


class LineList(list):  # type: ignore[type-arg]
    """A sequence from the YAML file, with ``line`` and the line of each item."""

    line: int = 0
    item_lines: list[int]


# libyaml's parser when PyYAML was built with it (several times faster); same safe constructors
_SafeBase: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeBase):  # type: ignore[misc,valid-type]
    """A safe loader that builds :class:`LineDict` mappings and refuses duplicate keys."""

    duplicates: list[tuple[int, str, int]]
    too_large: list[tuple[int, str, str]]

    def construct_line_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:
        self.flatten_mapping(node)
        mapping = LineDict()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, (dict, list)):  # ``[a, b]: 1`` or ``? {a: 1}``: reported, not a traceback
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark, "found unhashable key", key_node.start_mark
                )
            line = key_node.start_mark.line + 1
            if key in mapping.key_lines:
                self.duplicates.append((line, str(key), mapping.key_lines[key]))
            mapping[key] = self.construct_object(value_node, deep=deep)
            mapping.key_lines[key] = line
        return mapping

    def construct_figure(self, node: yaml.ScalarNode) -> Any:
        """A number (int or float), noted with its line when it is too large to compute with: a
        catalogue's numbers are all figures (targets, bounds) or small counts."""
        tag = node.tag.rsplit(":", 1)[-1]
        number = self.construct_yaml_int(node) if tag == "int" else self.construct_yaml_float(node)
        why = out_of_range(number) if not isinstance(number, float) or math.isfinite(number) else None
        if why:  # .inf and .nan are left to the schema, which says where a number must be finite
            written = node.value if len(node.value) <= 20 else node.value[:19] + "…"
            self.too_large.append((node.start_mark.line + 1, written, why))
        return number

    def construct_line_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LineList:
        sequence = LineList(self.construct_object(child, deep=deep) for child in node.value)
        sequence.line = node.start_mark.line + 1
        sequence.item_lines = [child.start_mark.line + 1 for child in node.value]
        return sequence


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_line_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _LineLoader.construct_line_sequence)
_LineLoader.add_constructor("tag:yaml.org,2002:int", _LineLoader.construct_figure)
_LineLoader.add_constructor("tag:yaml.org,2002:float", _LineLoader.construct_figure)
# YAML 1.1 reads ``1e300`` and ``2.5e3`` (no point, or no sign in the exponent) as text; read them as
# numbers, as YAML 1.2 and every spreadsheet do. A quoted '1e300' stays text.
_LineLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+$"),
    list("-+0123456789."),
)

MAX_DEPTH = 50
"""How deeply mappings and lists may nest in a YAML file (a catalogue needs about 6): deeper nesting is
refused before it is built, as the parser would run out of stack."""


def load_yaml(path: Path) -> tuple[Any, list[Problem]]:
    """Load ``path`` safely; return the data and any problems (unreadable file, syntax, duplicate keys)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [unreadable(path, exc)]
    kind = not_text(data)
    if kind is not None:
        return None, [Problem(path, kind[1], f"is {kind[0]}: save it as UTF-8 text")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, [Problem(path, line, f"is not UTF-8 text ({exc.reason}); save it as UTF-8")]
    deep = _too_deep(path, text)
    if deep is not None:
        return None, [deep]
    loader = _LineLoader(text)
    loader.duplicates = []
    loader.too_large = []
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return None, [Problem(path, mark.line + 1 if mark else None, f"YAML syntax: {exc.problem or exc.context}")]
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (a control character)
        at = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else None
        code = exc.character if isinstance(exc.character, int) else ord(exc.character or "\x00")
        return None, [Problem(path, at, f"YAML: the control character U+{code:04X} is not allowed in a YAML file")]
    except yaml.YAMLError as exc:
        return None, [Problem(path, None, f"YAML: {exc}")]
    finally:
        loader.dispose()
    problems = [
        Problem(path, line, f"key '{key}' is given twice in this mapping (first at line {first})")
        for line, key, first in loader.duplicates
    ]
    problems += [Problem(path, line, f"the number {written} {why}") for line, written, why in loader.too_large]
    return data, problems


def _too_deep(path: Path, text: str) -> Problem | None:
    """The problem when mappings and lists nest deeper than :data:`MAX_DEPTH`, found from the parser's
    events (a flat stream, so any depth is safe to read) before anything is built from them."""
    loader = _LineLoader(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    message = f"mappings and lists nest more than {MAX_DEPTH} deep here: a catalogue needs a handful"
                    return Problem(path, event.start_mark.line + 1 if event.start_mark else None, message)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:  # reported with its line when the file is loaded
        return None
    finally:
        loader.dispose()
    return None


def line_of(data: Any, loc: tuple[Any, ...]) -> int | None:
    """The line of the node at ``loc`` (a pydantic error location), or of its nearest parent."""
    line = data.line if isinstance(data, LineDict) else None
    node = data
    for part in loc:
        if isinstance(node, LineDict):
            if part not in node:
                break
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            if isinstance(node, LineList):
                line = node.item_lines[part]
            node = node[part]
            if isinstance(node, LineDict):
                line = node.line
        else:
            break
    return line

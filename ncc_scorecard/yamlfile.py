"""Safe YAML loading that remembers the line of every mapping and key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .problems import Problem, unreadable


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

    def construct_line_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LineList:
        sequence = LineList(self.construct_object(child, deep=deep) for child in node.value)
        sequence.line = node.start_mark.line + 1
        sequence.item_lines = [child.start_mark.line + 1 for child in node.value]
        return sequence


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_line_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _LineLoader.construct_line_sequence)


def load_yaml(path: Path) -> tuple[Any, list[Problem]]:
    """Load ``path`` safely; return the data and any problems (unreadable file, syntax, duplicate keys)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Problem(path, None, f"is not UTF-8 text ({exc.reason}); save it as UTF-8")]
    except OSError as exc:
        return None, [unreadable(path, exc)]
    loader = _LineLoader(text)
    loader.duplicates = []
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        return None, [Problem(path, line, f"YAML syntax: {exc.problem or exc.context}")]
    except yaml.YAMLError as exc:
        return None, [Problem(path, None, f"YAML: {exc}")]
    finally:
        loader.dispose()
    problems = [
        Problem(path, line, f"key '{key}' is given twice in this mapping (first at line {first})")
        for line, key, first in loader.duplicates
    ]
    return data, problems


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

"""Rendering templates to HTML: the appendix (the same document serves the browser and the PDF
renderer) and the portal's pages. A template problem names the report or page it broke."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jinja2 import Environment, TemplateError

from ..errors import RenderError
from .view import AppendixView

APPENDIX_TEMPLATE = "appendix.html.j2"


def render_appendix(env: Environment, view: AppendixView) -> str:
    """An appendix with ``appendix.html.j2``; the template sees the view as ``v``."""
    return render_template(env, APPENDIX_TEMPLATE, {"v": view}, f"report '{view.report_id}'")


def render_template(env: Environment, name: str, context: Mapping[str, Any], what: str) -> str:
    """Render one template; a template error becomes a :class:`RenderError` naming ``what`` and the line."""
    try:
        return env.get_template(name).render(context)
    except TemplateError as exc:
        where = f"{getattr(exc, 'filename', None) or name}:{getattr(exc, 'lineno', None) or ''}".rstrip(":")
        raise RenderError(f"{what}: template {where}: {exc.message or exc}") from exc

"""The appendix as HTML: the same document serves the browser and the PDF renderer."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, TemplateError

from ..calculator import ReportResult
from ..errors import RenderError
from .view import appendix_view

APPENDIX_TEMPLATE = "appendix.html.j2"


def render_html(env: Environment, report: ReportResult) -> str:
    """Render a computed report with ``appendix.html.j2``; template problems name the report."""
    try:
        return env.get_template(APPENDIX_TEMPLATE).render(v=appendix_view(report))
    except TemplateError as exc:
        where = f"{getattr(exc, 'filename', None) or APPENDIX_TEMPLATE}:{getattr(exc, 'lineno', None) or ''}".rstrip(
            ":"
        )
        raise RenderError(f"report '{report.report.id}': template {where}: {exc.message or exc}") from exc


def template_file(env: Environment, name: str) -> Path | None:
    """Where a template file would be loaded from (a project override or the default)."""
    try:
        source = env.get_template(name).filename
    except TemplateError:
        return None
    return Path(source) if source else None

"""The one Jinja environment: project templates first, then the packaged defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateNotFound,
)

from ..fingerprint import default_templates_dir
from ..problems import outside_project
from .palette import COLOURS


def make_environment(project_templates: Path | None = None) -> Environment:
    """A Jinja environment with autoescape on for every template and StrictUndefined.

    A project's ``templates/`` overrides any default by file name; an override can
    ``{% extends "default:appendix.html.j2" %}`` the template it replaces. Every template sees
    ``colours``, the palette the charts also use (stylesheets are rendered as templates).
    """
    defaults = FileSystemLoader(default_templates_dir())
    loaders: list[BaseLoader] = []
    if project_templates is not None and project_templates.is_dir() and inside_project(project_templates):
        loaders.append(_ProjectLoader(project_templates))
    loaders += [defaults, PrefixLoader({"default": defaults}, delimiter=":")]
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["colours"] = COLOURS
    return env


def inside_project(project_templates: Path) -> bool:
    """Whether a project's ``templates/`` folder stays in its project (it is not a link leading out)."""
    return outside_project(project_templates, project_templates.parent) is None


class _ProjectLoader(FileSystemLoader):
    """A project's templates, but none that is a link leading outside the project (``validate`` names
    such a link; this keeps the renderer from ever using one)."""

    def get_source(self, environment: Environment, template: str) -> Any:
        found = super().get_source(environment, template)
        folder = Path(self.searchpath[0])
        if outside_project(Path(found[1]), folder.parent):
            raise TemplateNotFound(template)
        return found

"""Work a web worker would otherwise do on its first requests, done once in the gunicorn master
before it forks: every worker, the first ones and those that replace a recycled one, starts warm."""

from pathlib import Path

from django.template import TemplateSyntaxError, engines
from django.urls import get_resolver

TEMPLATE_SUFFIXES = {".html", ".txt", ".xml", ".svg"}


def compile_templates() -> int:
    """Compile every template the portal and its libraries ship into the template engines' caches.

    The same name resolves to the same file as at run time (the first directory that has it wins).
    Returns how many were compiled.
    """
    compiled = 0
    for engine in engines.all():
        for directory in map(Path, engine.template_dirs):
            for path in sorted(directory.rglob("*")):
                if path.suffix not in TEMPLATE_SUFFIXES or not path.is_file():
                    continue
                try:
                    engine.get_template(path.relative_to(directory).as_posix())
                except (TemplateSyntaxError, UnicodeDecodeError):
                    continue  # a library's template for a setup the portal does not use
                compiled += 1
    return compiled


def warm_up() -> dict:
    """Compile the templates and build the URL resolver's lookup tables; no database is touched."""
    templates = compile_templates()
    get_resolver().reverse_dict  # noqa: B018 - building it is the point
    return {"templates": templates}

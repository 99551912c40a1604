"""Load (or update) the audit templates that ship with the portal: ``python manage.py load_audit_templates``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audits.services import template_import_file
from audits.template_io import TemplateFileError

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "template_data"


def load_all(paths=None) -> list[tuple[object, bool]]:
    """Import each shipped template file through the same checks as an upload."""
    paths = paths or sorted(TEMPLATE_DIR.glob("*.yaml"))
    return [template_import_file(path=path) for path in paths]


class Command(BaseCommand):
    help = "Load the audit templates in audits/template_data (a new version only where questions changed)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="Template files (YAML or CSV); default: the shipped ones.")

    def handle(self, *args, **options):
        paths = [Path(f) for f in options["files"]] or sorted(TEMPLATE_DIR.glob("*.yaml"))
        for path in paths:
            try:
                version, changed = template_import_file(path=path)
            except TemplateFileError as error:
                problems = "\n".join(f"  {e}" for e in error.errors)
                raise CommandError(f"{path.name}: nothing imported.\n{problems}") from error
            state = "loaded" if changed else "unchanged"
            self.stdout.write(f"{path.name}: {version} {state}")

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.pdf import html_to_pdf, report_html
from reports.sections import ReportPeriod, gather


class Command(BaseCommand):
    help = "Write the annual report to the Board for a year as a PDF file (not kept in the portal)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--output", type=Path, required=True, help="Where to write the PDF.")

    def handle(self, *args, year, output, **options):
        if not 2000 <= year <= 2100:
            raise CommandError("Give a four-digit year.")
        pdf, pages = html_to_pdf(report_html(gather(ReportPeriod(year))))
        output.write_bytes(pdf)
        self.stdout.write(f"Wrote {output} ({pages} pages, {len(pdf):,} bytes).")

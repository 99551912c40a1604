"""The annual report prints the audit trail's fingerprint in its appendix: a copy on paper and in the
Board's PDF that nobody holding the database can change."""

import io
import re
import subprocess

from django.core.management import call_command
from django.utils import timezone

from activity.integrity import anchor_write
from activity.services import activity_record


def test_the_report_appendix_carries_the_trails_latest_hashes(db, settings, tmp_path, agency_a):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    activity_record("exported", actor_label="someone@example.org")
    anchored = anchor_write(day=timezone.localdate())
    head = activity_record("exported", actor_label="later@example.org")
    output = tmp_path / "report.pdf"
    call_command("annual_report", year=timezone.localdate().year, output=output, stdout=io.StringIO())
    text = subprocess.run(["pdftotext", "-layout", str(output), "-"], capture_output=True, check=True, text=True).stdout
    squeezed = re.sub(r"\s+", "", text)
    assert "The portal's audit trail" in text
    assert f"endedwithevent{head.pk}" in squeezed and head.hash in squeezed
    assert anchored["hash"] in squeezed

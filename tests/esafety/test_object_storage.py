"""Files in S3-compatible object storage: evidence, minutes and reports go to a private bucket of a real
object store (moto's server), are only handed out after the portal's permission check, and a store that
is down gets a clear "try again shortly" page with nothing half-saved."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audits.models import AuditReturn, Evidence
from esig.models import Meeting
from reports.models import AnnualReport
from tests.factories import MeetingFactory
from tests.support.data import open_tiny_cycle
from tests.support.objectstore import use_folder, use_storage

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def return_a(agency_a, agency_b, secretariat):
    cycle = open_tiny_cycle([agency_a, agency_b], by=secretariat)
    return AuditReturn.objects.get(cycle=cycle, agency=agency_a)


def upload_evidence(client, audit_return, name="policy.pdf", content=PDF):
    return client.post(
        reverse("audits:evidence_upload", args=[audit_return.pk]),
        {"file": SimpleUploadedFile(name, content), "description": "Our policy"},
    )


def upload_minutes(client, meeting, content=PDF):
    return client.post(
        reverse("esig:minutes", args=[meeting.pk]),
        {
            "text": "Minutes of the meeting",
            "document": SimpleUploadedFile("minutes.pdf", content),
            "seen_updated_at": meeting.updated_at.isoformat(),
        },
    )


def test_evidence_goes_to_the_private_bucket_and_comes_back_only_through_the_permission_check(
    s3_private_files, tmp_path, settings, return_a, champion_a, champion_b, secretariat, client_for
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "never-used"
    assert upload_evidence(client_for(champion_a), return_a).status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.file.name.startswith(f"audits/evidence/{return_a.pk}/")
    assert s3_private_files.object_keys() == [evidence.file.name]
    assert s3_private_files.read(evidence.file.name) == PDF
    assert not (tmp_path / "never-used").exists()  # nothing on this machine's disk

    download = client_for(secretariat).get(evidence.get_absolute_url())
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert client_for(champion_b).get(evidence.get_absolute_url()).status_code == 404

    # The bucket grants nobody but the portal's own key: no public-read grant on the object.
    acl = s3_private_files.client().get_object_acl(Bucket=s3_private_files.name, Key=evidence.file.name)
    assert not [g for g in acl["Grants"] if "AllUsers" in g["Grantee"].get("URI", "")]


def test_minutes_and_the_annual_report_are_kept_in_the_bucket(
    s3_private_files, secretariat, board_member, client_for, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(held_on=timezone.localdate() - datetime.timedelta(days=3))
    assert upload_minutes(client_for(secretariat), meeting).status_code == 302
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert meeting.minutes_file.name.startswith("esig/minutes/")
    download = client_for(board_member).get(reverse("esig:minutes_download", args=[meeting.pk]))
    assert b"".join(download.streaming_content) == PDF

    with django_capture_on_commit_callbacks(execute=True):
        client_for(secretariat).post(reverse("reports:generate"), {"year": timezone.localdate().year - 1})
    report = AnnualReport.objects.get()
    assert report.status == "done", report.error
    assert f"reports/{report.file_name}" in s3_private_files.object_keys()
    pdf = b"".join(client_for(board_member).get(reverse("reports:download", args=[report.pk])).streaming_content)
    assert pdf.startswith(b"%PDF") and len(pdf) == report.size


def test_a_store_that_is_down_gets_a_clear_page_and_nothing_half_saved_then_it_recovers(
    throwaway_object_store, settings, return_a, champion_a, client_for, django_capture_on_commit_callbacks
):
    from tests.support.objectstore import new_bucket

    bucket = new_bucket(throwaway_object_store.endpoint)
    use_storage(settings, bucket.storage_settings(read_timeout=2))
    client = client_for(champion_a)
    assert upload_evidence(client, return_a, "first.pdf").status_code == 302
    first = Evidence.objects.get()

    throwaway_object_store.stop()
    refused = upload_evidence(client, return_a, "second.pdf")
    assert refused.status_code == 503 and refused["Retry-After"] == "60"
    page = refused.content.decode()
    assert "Files cannot be reached just now" in page and "Nothing was saved" in page
    assert Evidence.objects.count() == 1  # no row for a file that was not stored
    download = client.get(first.get_absolute_url())
    assert download.status_code == 503 and "The file is safe" in download.content.decode()

    throwaway_object_store.start()  # the same address; a new, empty store
    bucket.create()
    assert upload_evidence(client, return_a, "second.pdf").status_code == 302
    second = Evidence.objects.get(original_name="second.pdf")
    assert b"".join(client.get(second.get_absolute_url()).streaming_content) == PDF


def test_a_report_built_while_the_store_is_down_fails_with_a_reason_and_can_be_tried_again(
    throwaway_object_store, settings, secretariat, client_for, django_capture_on_commit_callbacks
):
    from tests.support.objectstore import new_bucket

    bucket = new_bucket(throwaway_object_store.endpoint)
    use_storage(settings, bucket.storage_settings(read_timeout=2))
    client = client_for(secretariat)
    throwaway_object_store.stop()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:generate"), {"year": timezone.localdate().year - 1})
    report = AnnualReport.objects.get()
    assert report.status == "failed" and "file store was not answering" in report.error
    assert "try again shortly" in client.get(report.get_absolute_url()).content.decode()

    throwaway_object_store.start()
    bucket.create()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:retry", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == "done" and bucket.object_keys() == [f"reports/{report.file_name}"]


def test_existing_local_files_are_copied_into_the_store_once_after_a_dry_run(
    bucket, settings, tmp_path, return_a, champion_a, client_for
):
    local = tmp_path / "private_media"
    use_folder(settings, local)
    upload_evidence(client_for(champion_a), return_a, "one.pdf")
    upload_evidence(client_for(champion_a), return_a, "two.pdf", PDF + b"% two\n")
    names = sorted(Evidence.objects.values_list("file", flat=True))
    use_storage(settings, bucket.storage_settings())

    out = io.StringIO()
    call_command("copy_files_to_store", "--from", str(local), "--dry-run", stdout=out)
    assert "2 files would be copied" in out.getvalue() and bucket.object_keys() == []

    out = io.StringIO()
    call_command("copy_files_to_store", "--from", str(local), stdout=out)
    assert "2 files copied" in out.getvalue() and bucket.object_keys() == names
    assert bucket.read(names[0]) == (local / names[0]).read_bytes()

    out = io.StringIO()
    call_command("copy_files_to_store", "--from", str(local), stdout=out)  # run again: nothing more to do
    assert "0 files copied, 2 already in the store" in out.getvalue()
    for evidence in Evidence.objects.all():  # the portal now reads them from the store
        assert client_for(champion_a).get(evidence.get_absolute_url()).status_code == 200

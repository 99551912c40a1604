"""Evidence files: checked by size and content, stored privately, downloaded only by people who may see the return."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from audits.models import Evidence

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _upload(client, r, name, content, **extra):
    return client.post(
        reverse("audits:evidence_upload", args=[r.pk]),
        {"file": SimpleUploadedFile(name, content), "description": "Our policy", **extra},
        follow=True,
    )


def test_champion_uploads_a_pdf_that_is_stored_privately_and_downloaded_as_an_attachment(
    return_a, champion_a, staff_a, client_for
):
    response = _upload(client_for(champion_a), return_a, "policy.pdf", PDF)
    assert "&#x27;policy.pdf&#x27; has been added" in response.content.decode()
    evidence = Evidence.objects.get()
    path = Path(evidence.file.path)
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT)) and path.name != "policy.pdf"
    assert evidence.content_type == "application/pdf" and evidence.size == len(PDF)
    for user in (champion_a, staff_a):  # staff of the agency may read the return and its evidence
        download = client_for(user).get(evidence.get_absolute_url())
        assert download.status_code == 200
        assert download["Content-Disposition"].startswith('attachment; filename="policy.pdf"')
        assert b"".join(download.streaming_content) == PDF


def test_an_office_document_is_accepted_by_its_content(return_a, champion_a, client_for):
    _upload(client_for(champion_a), return_a, "training-log.docx", _docx())
    assert Evidence.objects.get().content_type.endswith("wordprocessingml.document")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "not a file type we accept"),
        ("fake.pdf", b"MZ\x90\x00 this is a program", "does not contain what its name says"),
        ("fake.docx", b"PK\x03\x04 not really a zip", "does not contain what its name says"),
        ("picture.png", b"\xff\xd8\xff\xe0 a jpeg named png", "does not contain what its name says"),
        ("notes.txt", b"\x00\x01\x02binary", "does not contain what its name says"),
    ],
    ids=["executable", "program-named-pdf", "not-a-real-docx", "jpeg-named-png", "binary-named-txt"],
)
def test_wrong_file_types_are_refused_by_content(return_a, champion_a, client_for, name, content, message):
    page = _upload(client_for(champion_a), return_a, name, content).content.decode()
    assert "The file was not added" in page and message in page
    assert not Evidence.objects.exists()


@override_settings(AUDIT_EVIDENCE_MAX_BYTES=1024)
def test_a_file_over_the_size_limit_is_refused(return_a, champion_a, client_for):
    page = _upload(client_for(champion_a), return_a, "big.pdf", PDF + b"0" * 2000).content.decode()
    assert "The file was not added" in page and "the limit is" in page
    assert not Evidence.objects.exists()


def test_other_agencies_cannot_download_and_staff_cannot_upload_or_remove(
    return_a, champion_a, champion_b, staff_a, client_for
):
    _upload(client_for(champion_a), return_a, "policy.pdf", PDF)
    evidence = Evidence.objects.get()
    assert client_for(champion_b).get(evidence.get_absolute_url()).status_code == 404
    assert _upload(client_for(champion_b), return_a, "x.pdf", PDF).status_code == 404
    assert _upload(client_for(staff_a), return_a, "x.pdf", PDF).status_code == 403
    remove = reverse("audits:evidence_archive", args=[evidence.pk])
    assert client_for(champion_b).post(remove).status_code == 404
    assert client_for(staff_a).post(remove).status_code == 403
    assert Evidence.objects.count() == 1 and Evidence.objects.get().archived_at is None


def test_removing_evidence_archives_it_and_keeps_the_file(return_a, champion_a, secretariat, client_for):
    _upload(client_for(champion_a), return_a, "policy.pdf", PDF)
    evidence = Evidence.objects.get()
    client_for(champion_a).post(reverse("audits:evidence_archive", args=[evidence.pk]))
    evidence.refresh_from_db()
    assert evidence.archived_at is not None and Path(evidence.file.path).exists()
    assert client_for(champion_a).get(evidence.get_absolute_url()).status_code == 404
    assert client_for(secretariat).get(evidence.get_absolute_url()).status_code == 200

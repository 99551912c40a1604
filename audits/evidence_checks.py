"""What an uploaded evidence file really is, judged by its content (never by its name alone)."""

import zipfile

from django.core.exceptions import ValidationError

ALLOWED_DESCRIPTION = "PDF, Word, Excel, PowerPoint, PNG, JPEG, plain text or CSV"

# extension → the type its content must show
EXTENSIONS = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "txt": "text/plain",
    "csv": "text/csv",
}
OFFICE_FOLDERS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}


def _sniff_office(uploaded_file, extension: str) -> bool:
    uploaded_file.seek(0)
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False
    finally:
        uploaded_file.seek(0)
    return "[Content_Types].xml" in names and any(n.startswith(OFFICE_FOLDERS[extension]) for n in names)


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still text.
        return error.start >= len(head) - 3
    return True


def detect(uploaded_file) -> str:
    """The content type of an allowed file, or ``ValidationError`` saying what is allowed."""
    name = uploaded_file.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    refusal = ValidationError(f"'{name}' is not a file type we accept. Upload {ALLOWED_DESCRIPTION}.")
    if extension not in EXTENSIONS:
        raise refusal
    uploaded_file.seek(0)
    head = uploaded_file.read(2048)
    uploaded_file.seek(0)
    expected = EXTENSIONS[extension]
    if extension == "pdf":
        ok = head.startswith(b"%PDF-")
    elif extension == "png":
        ok = head.startswith(b"\x89PNG\r\n\x1a\n")
    elif extension in {"jpg", "jpeg"}:
        ok = head.startswith(b"\xff\xd8\xff")
    elif extension in OFFICE_FOLDERS:
        ok = head.startswith(b"PK\x03\x04") and _sniff_office(uploaded_file, extension)
    else:
        ok = bool(head) and _looks_like_text(head)
    if not ok:
        raise ValidationError(f"'{name}' does not contain what its name says ({extension.upper()}). {refusal.message}")
    return expected

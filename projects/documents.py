"""Checks on uploaded documents: only PDF, PPTX and XLSX, small enough, and what they claim."""

import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ALLOWED_SUFFIXES = {".pdf": "pdf", ".pptx": "ppt/", ".xlsx": "xl/"}


def validate_document(upload: UploadedFile) -> None:
    """Reject by extension, size and content, so a renamed executable cannot get in."""
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise ValidationError(_("Only PDF, PPTX and XLSX files can be uploaded."))
    if upload.size > settings.DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.DOCUMENT_MAX_BYTES),
            }
        )
    if not _content_matches(upload, suffix):
        raise ValidationError(
            _("The file's content is not a valid %(kind)s file.") % {"kind": suffix[1:].upper()}
        )


def _content_matches(upload: UploadedFile, suffix: str) -> bool:
    upload.seek(0)
    try:
        if suffix == ".pdf":
            return upload.read(5) == b"%PDF-"
        if upload.read(4) != b"PK\x03\x04":
            return False
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            return any(name.startswith(ALLOWED_SUFFIXES[suffix]) for name in archive.namelist())
    except zipfile.BadZipFile:
        return False
    finally:
        upload.seek(0)

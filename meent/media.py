"""Uploaded files served by Meent itself (``MEENT_SERVE_FILES``: the demo and the tests; in
production a proxy serves ``/media/`` and must do the same, see README "Serving uploaded files").

Every file goes out with ``nosniff`` and a sandboxing Content-Security-Policy; only raster images
are shown in the browser, everything else (an SVG, an HTML file, whatever its name says) is a
download. Files that are served through a view with an access check (Wagtail's documents, the
wikis' attachments) are never served from here: their address would skip that check.
"""

import posixpath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404
from django.views.decorators.http import require_safe
from django.views.static import serve
from wagtail.documents.forms import BaseDocumentForm

from meent.uploads import validate_document

# Content types a browser shows as a picture and never runs.
INLINE_CONTENT_TYPES = frozenset(
    {"image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"}
)
# Under MEDIA_ROOT, but only for the views that check who may read them.
PRIVATE_PREFIXES = ("documents/", "wiki/", "exports/")
SANDBOX_POLICY = "default-src 'none'; sandbox"


def is_private(path: str) -> bool:
    normalised = posixpath.normpath(path.replace("\\", "/")).lstrip("/").lower() + "/"
    return normalised.startswith(PRIVATE_PREFIXES)


@require_safe
def serve_media(request, path):
    if is_private(path):
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_POLICY
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type not in INLINE_CONTENT_TYPES:
        response["Content-Disposition"] = "attachment"
    return response


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form (WAGTAILDOCS_DOCUMENT_FORM_BASE) that also checks a new file by
    its content: a "report.pdf" must be a PDF, a "notes.txt" plain text and not a web page."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            validate_document(upload)
        return upload

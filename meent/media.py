"""Uploaded files served by Meent itself (``MEENT_SERVE_FILES``: the demo and the tests; in
production a proxy serves ``/media/`` and must do the same, see README "Serving uploaded files").

Every file goes out with ``nosniff`` and a sandboxing Content-Security-Policy; only raster images
are shown in the browser, everything else (an SVG, an HTML file, whatever its name says) is a
download. Files that are served through a view with an access check (Wagtail's documents, the
wikis' attachments, data exports, and blog covers, group images and profile pictures under
``private/``, see meent/files.py) are never served from here: their address would skip that check.
Those views send the same headers through ``serve_stored_file``.
"""

import mimetypes
import posixpath
from collections.abc import AsyncIterator, Iterator

from asgiref.sync import sync_to_async
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import UploadedFile
from django.core.handlers.asgi import ASGIRequest
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe
from django.views.static import serve
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from meent import access
from meent.uploads import scanned, validate_document

# Content types a browser shows as a picture and never runs.
INLINE_CONTENT_TYPES = frozenset(
    {"image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"}
)
# Under MEDIA_ROOT, but only for the views that check who may read them. ``private/``: blog
# covers, group images, profile pictures (meent/files.py). ``blog/``, ``groups/`` and ``avatars/``
# held those before they moved there: a file left behind is not served either.
# ``wagtail_uploads/``: the admin's uploads in progress, before they are a document or an image.
PRIVATE_PREFIXES = (
    "documents/",
    "wiki/",
    "exports/",
    "private/",
    "blog/",
    "groups/",
    "avatars/",
    "wagtail_uploads/",
)
SANDBOX_POLICY = "default-src 'none'; sandbox"
# A public file may sit in shared caches for a short while only: a post made private or hidden by
# a moderator must stop showing its cover soon. A private one is kept by the browser only, for
# the person who may see it.
PUBLIC_CACHE = "public, max-age=300"
# A PDF shown by the browser's own viewer in a frame of one of our pages (a group file's preview):
# the sandbox stays (Chromium 156's viewer shows a PDF from a sandboxed response, checked by
# tests/e2e/test_files_preview.py), and only our own pages may frame it (frame-ancestors and
# X-Frame-Options for older browsers; any other site's frame is refused). CORP keeps other sites
# from loading it as a resource at all.
PDF_FRAME_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; sandbox; frame-ancestors 'self'",
    "X-Frame-Options": "SAMEORIGIN",
    "Cross-Origin-Resource-Policy": "same-origin",
}
PRIVATE_CACHE = "private, max-age=3600"
# What a streamed file is read in (FileResponse's own block size).
CHUNK = 64 * 1024


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


def is_public(obj, may_view=None) -> bool:
    """Whether anonymous visitors may see ``obj`` (then its file may sit in shared caches)."""
    return (may_view or access.can_view)(AnonymousUser(), obj)


def streamed(request, chunks: Iterator[bytes]) -> Iterator[bytes] | AsyncIterator[bytes]:
    """``chunks`` as a StreamingHttpResponse's content that stays a stream when served over ASGI:
    there Django reads a synchronous iterator to its end, into memory, before it sends a byte
    (``StreamingHttpResponse.__aiter__``), so a large file or a folder's ZIP would sit whole in
    the server's memory. Over ASGI each chunk is pulled in a worker thread instead (storage may
    block; nothing here may touch the database), and the iterator is closed when the client
    goes away."""
    if not isinstance(request, ASGIRequest):
        return chunks

    async def pull():
        iterator = iter(chunks)
        done = object()
        step = sync_to_async(next, thread_sensitive=False)
        try:
            while (chunk := await step(iterator, done)) is not done:
                yield chunk
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                await sync_to_async(close, thread_sensitive=False)()

    return pull()


def serve_stored_file(
    field_file,
    *,
    public: bool,
    filename: str = "",
    content_type: str = "",
    inline: bool | None = None,
    headers: dict | None = None,
    request=None,
):
    """A stored file with Meent's file headers: nosniff, a sandbox, a download unless it is a
    raster image, and ``Cache-Control`` public only when everyone may see it. The content type is
    the one given (checked at upload) or the stored name's. A file missing from storage is a 404.
    ``inline`` True/False overrides the raster-image rule (a caller that shows a PDF, or wants a
    download whatever it is); ``headers`` replace these (``PDF_FRAME_HEADERS``). With the
    ``request``, the file streams over ASGI too (``streamed``) instead of being read whole."""
    name = field_file.name
    try:
        handle = field_file.storage.open(name, "rb")
    except (FileNotFoundError, IsADirectoryError) as error:
        raise Http404 from error
    content_type = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    if inline is None:
        inline = content_type in INLINE_CONTENT_TYPES
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=not inline,
        filename=filename or posixpath.basename(name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_POLICY
    response["Cache-Control"] = PUBLIC_CACHE if public else PRIVATE_CACHE
    for header, value in (headers or {}).items():
        response[header] = value
    if isinstance(request, ASGIRequest):
        # FileResponse has set the length and the name; only how the bytes are read changes.
        response.streaming_content = streamed(request, iter(lambda: handle.read(CHUNK), b""))
    return response


def stored_file_view(model_label, field_name, *, may_view=None, related=(), filename=""):
    """A view for ``/…/<int:pk>/<str:name>`` that serves ``field_name`` of the object ``pk`` to
    whoever ``may_view(user, obj)`` (by default the access policy's ``can_view``) lets see it.

    What a person may not see, an unknown object, and a name that is not the file's current one
    (a replaced file) are all the same 404: the address tells nobody what exists.
    """
    may_view = may_view or access.can_view

    @require_safe
    def view(request, pk, name):
        model = apps.get_model(model_label)
        obj = model._default_manager.select_related(*related).filter(pk=pk).first()
        if obj is None:
            raise Http404
        field_file = getattr(obj, field_name)
        if not field_file or posixpath.basename(field_file.name) != name:
            raise Http404
        if not may_view(request.user, obj):
            raise Http404
        extension = posixpath.splitext(name)[1]
        return serve_stored_file(
            field_file,
            public=is_public(obj, may_view),
            filename=f"{filename}{extension}" if filename else "",
            request=request,
        )

    view.__name__ = f"{model_label.replace('.', '_').lower()}_{field_name}"
    return view


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form (WAGTAILDOCS_DOCUMENT_FORM_BASE) that also checks a new file by
    its content: a "report.pdf" must be a PDF, a "notes.txt" plain text and not a web page."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            validate_document(upload)
        return upload


class ImageForm(BaseImageForm):
    """Wagtail's image form (WAGTAILIMAGES_IMAGE_FORM_BASE) with the virus scan every upload
    gets (Willow has checked the content against the extension)."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            scanned(upload, what="image in the admin")
        return upload

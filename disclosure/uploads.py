"""Caps on uploads the public can send: a file is refused once it passes its limit while it streams
in, and the request is refused before its body is read when its declared length already says it is too large."""

from __future__ import annotations

from django.core.files.uploadhandler import FileUploadHandler, StopUpload

# Room for the form's other fields and the multipart boundaries around the file.
FORM_OVERHEAD_BYTES = 64 * 1024


class CappedUploadHandler(FileUploadHandler):
    """First in ``request.upload_handlers``: passes chunks on to Django's own handlers (memory up to
    ``FILE_UPLOAD_MAX_MEMORY_SIZE``, a temporary file beyond) and stops the upload past ``limit`` bytes of one file."""

    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=True)  # stop reading: the rest of the body is never taken in
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler builds the file


def declared_too_large(request, limit: int) -> bool:
    """The request says (Content-Length) it carries more than a file of ``limit`` bytes and a small form."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > limit + FORM_OVERHEAD_BYTES


def cap(request, limit: int) -> CappedUploadHandler:
    """Install the cap on ``request`` (before anything reads ``request.POST`` or ``request.FILES``)."""
    handler = CappedUploadHandler(request, limit=limit)
    request.upload_handlers.insert(0, handler)
    return handler


def size_label(limit: int) -> str:
    return f"{limit / (1024 * 1024):.0f} MB" if limit >= 1024 * 1024 else f"{max(limit // 1024, 1)} KB"

"""Uploaded files are kept only up to the stated limit (ADR 19).

Django stores an upload (in memory or in a temporary file) before any view sees it, so a view
that checks the size afterwards has already stored all of it. This handler, first in
`FILE_UPLOAD_HANDLERS`, passes each file on until it is just over `settings.MAX_UPLOAD_BYTES` and
drops the rest as it arrives: a view then sees a file larger than the limit and says so, and a
gigabyte sent to an upload form costs the server a few megabytes, not a gigabyte of disk.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler


class BoundedUploadHandler(FileUploadHandler):
    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if self.received > settings.MAX_UPLOAD_BYTES:
            return None  # already over the limit: the handlers after this one never see the rest
        self.received += len(raw_data)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler keeps the file

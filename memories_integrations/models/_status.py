"""The video status enum, apart from the pydantic models.

The client's wait logic and callback receiver use it at import; keeping it free of pydantic
lets ``from memories_integrations import MemoriesClient`` skip the model machinery (issue 10).
"""

from __future__ import annotations

import enum
from typing import Any


class VideoStatus(str, enum.Enum):
    UNPARSE = "UNPARSE"
    PARSE = "PARSE"
    PARSE_ERROR = "PARSE_ERROR"
    UNKNOWN = "UNKNOWN"

    @property
    def is_ready(self) -> bool:
        return self is VideoStatus.PARSE

    @property
    def is_failed(self) -> bool:
        return self is VideoStatus.PARSE_ERROR

    @classmethod
    def parse(cls, value: Any) -> VideoStatus:
        """Normalise every spelling seen in the docs.

        API_Code page: UNPARSE / PARSE / PARSE_ERROR. Upload callback pages: FAIL. List-videos
        page: DONE / FAILED. Clients in the wild: ERROR. Platform-task callbacks:
        INDEXING_SUCCEEDED (ready) and SUCCEEDED (downloaded only: still pending).
        """
        if isinstance(value, cls):
            return value
        text = str(value or "").strip().upper()
        if text in _READY:
            return cls.PARSE
        if text in _FAILED:
            return cls.PARSE_ERROR
        if text in _PENDING:
            return cls.UNPARSE
        return cls.UNKNOWN


_READY = {"PARSE", "DONE", "INDEXING_SUCCEEDED", "PARSED", "SUCCESS"}
_FAILED = {"PARSE_ERROR", "FAIL", "FAILED", "ERROR", "INDEXING_FAILED"}
# A platform task's SUCCEEDED means "downloaded", not indexed (memories-api.md section 7):
# only INDEXING_SUCCEEDED / PARSE mean ready.
_PENDING = {
    "UNPARSE",
    "PENDING",
    "PROCESSING",
    "PARSING",
    "UPLOADED",
    "QUEUED",
    "SUCCEEDED",
    "DOWNLOADING",
    "DOWNLOADED",
    "INDEXING",
}

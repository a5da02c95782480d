"""Library tools: upload, status, list and delete videos."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from typing import ClassVar

from pydantic import Field

from memories_integrations._tools.arguments import (
    DeleteVideosArgs,
    ListNamespacesArgs,
    ListVideosArgs,
    UploadArgs,
    VideoStatusArgs,
)
from memories_integrations._tools.formatting import describe_status
from memories_integrations._tools.outcome import DEFAULT_MAX_WAIT, ToolOptions
from memories_integrations.langchain._events import ProgressEvents
from memories_integrations.langchain.tools._base import CWD, MemoriesBaseTool

__all__ = [
    "MemoriesDeleteVideosInput",
    "MemoriesDeleteVideosTool",
    "MemoriesListNamespacesInput",
    "MemoriesListNamespacesTool",
    "MemoriesListVideosInput",
    "MemoriesListVideosTool",
    "MemoriesUploadInput",
    "MemoriesUploadTool",
    "MemoriesVideoStatusInput",
    "MemoriesVideoStatusTool",
    "describe_status",
]

#: The shared argument models (one definition for every framework).
MemoriesUploadInput = UploadArgs
MemoriesVideoStatusInput = VideoStatusArgs
MemoriesListVideosInput = ListVideosArgs
MemoriesDeleteVideosInput = DeleteVideosArgs
MemoriesListNamespacesInput = ListNamespacesArgs


class MemoriesUploadTool(MemoriesBaseTool):
    """Upload a local file or a URL; optionally wait (bounded) until it is encoded.

    Writes to the library and spends credits: consider a human-approval step (README,
    "Human approval"). Local files are read only from ``allowed_dirs`` (default: the current
    working directory; ``None`` allows any path), checked before any network call. Progress
    of the upload (bytes sent) and of the wait (each status check) goes to the tool's run as
    custom events ``memories_upload_progress`` / ``memories_encoding_progress``
    (a callback handler's ``on_custom_event``).

    Setup:
        .. code-block:: bash

            pip install "memories-integrations[langchain]"
            export MEMORIES_API_KEY="sk-..."

    Instantiate:
        .. code-block:: python

            from memories_integrations.langchain import MemoriesUploadTool

            tool = MemoriesUploadTool(allowed_dirs=["./videos"], max_wait_seconds=120)

    Invoke:
        .. code-block:: python

            tool.invoke({"file_path": "videos/demo.mp4", "wait": True})
            # 'Uploaded (a video id, not a task id). VI123 (demo): status PARSE. Encoded: ...'
    """

    max_wait_seconds: float = Field(default=DEFAULT_MAX_WAIT, gt=0)
    """Upper bound on any wait, whatever the model asks for."""
    poll_interval: float = Field(default=2.0, gt=0)
    """Seconds between the first status checks while waiting (then it backs off)."""
    allowed_dirs: Sequence[str | os.PathLike[str]] | None = (CWD,)
    """Directories local files may come from (``None``: any path, only when set explicitly)."""

    _operation: ClassVar[str] = "memories_upload_video"

    def _options(self) -> ToolOptions:
        return replace(
            super()._options(),
            allowed_dirs=self.allowed_dirs,
            max_wait_seconds=self.max_wait_seconds,
            poll_interval=self.poll_interval,
        )

    def _with_events(self, options: ToolOptions, events: ProgressEvents) -> ToolOptions:
        return replace(options, upload_progress=events.upload, on_progress=events.encoding)


class MemoriesVideoStatusTool(MemoriesBaseTool):
    """Encoding status and metadata (duration, tags) of one video.

    Setup:
        .. code-block:: bash

            pip install "memories-integrations[langchain]"
            export MEMORIES_API_KEY="sk-..."

    Instantiate:
        .. code-block:: python

            from memories_integrations.langchain import MemoriesVideoStatusTool

            tool = MemoriesVideoStatusTool()

    Invoke:
        .. code-block:: python

            tool.invoke({"video_no": "VI123"})
            # 'VI123 (demo): status PARSE. Encoded: ... (duration 00:00:10)'
    """

    _operation: ClassVar[str] = "memories_video_status"


class MemoriesListVideosTool(MemoriesBaseTool):
    """One page of the library: ``video_no | name | status | duration`` per line.

    Setup:
        .. code-block:: bash

            pip install "memories-integrations[langchain]"
            export MEMORIES_API_KEY="sk-..."

    Instantiate:
        .. code-block:: python

            from memories_integrations.langchain import MemoriesListVideosTool

            tool = MemoriesListVideosTool()

    Invoke:
        .. code-block:: python

            tool.invoke({"status": "PARSE", "size": 10})
            # 'VI123 | demo | PARSE | 00:00:10\\nPage 1, 1 videos in total.'
    """

    _operation: ClassVar[str] = "memories_list_videos"


class MemoriesListNamespacesTool(MemoriesBaseTool):
    """The namespaces (``unique_id`` values) of the account that hold videos, the one this
    tool's client uses marked: where to look when a video cannot be found.

    Setup:
        .. code-block:: bash

            pip install "memories-integrations[langchain]"
            export MEMORIES_API_KEY="sk-..."

    Instantiate:
        .. code-block:: python

            from memories_integrations.langchain import MemoriesListNamespacesTool

            tool = MemoriesListNamespacesTool()

    Invoke:
        .. code-block:: python

            tool.invoke({})
            # 'Namespaces (unique_id values) with videos:\\ndefault (used by these tools)\\n...'
    """

    _operation: ClassVar[str] = "memories_list_namespaces"


class MemoriesDeleteVideosTool(MemoriesBaseTool):
    """Permanently delete videos (destructive: gate it behind human approval).

    Setup:
        .. code-block:: bash

            pip install "memories-integrations[langchain]"
            export MEMORIES_API_KEY="sk-..."

    Instantiate:
        .. code-block:: python

            from memories_integrations.langchain import MemoriesDeleteVideosTool

            tool = MemoriesDeleteVideosTool()

    Invoke:
        .. code-block:: python

            tool.invoke({"video_nos": ["VI123"]})
            # 'Deleted 1 video(s): VI123.'
    """

    _operation: ClassVar[str] = "memories_delete_videos"

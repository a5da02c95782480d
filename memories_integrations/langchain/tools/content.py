"""Content tools: transcripts, summaries and chat about specific videos."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from memories_integrations._tools.arguments import ChatArgs, SummarizeArgs, TranscriptArgs
from memories_integrations._tools.outcome import Outcome
from memories_integrations.langchain.tools._base import MemoriesBaseTool, to_documents

__all__ = [
    "MemoriesChatInput",
    "MemoriesChatTool",
    "MemoriesSummarizeInput",
    "MemoriesSummarizeTool",
    "MemoriesTranscriptInput",
    "MemoriesTranscriptTool",
]

_ContentAndArtifact = Literal["content", "content_and_artifact"]

#: The shared argument models (one definition for every framework).
MemoriesTranscriptInput = TranscriptArgs
MemoriesSummarizeInput = SummarizeArgs
MemoriesChatInput = ChatArgs


class MemoriesTranscriptTool(MemoriesBaseTool):
    """Timestamped transcript of one encoded video: speech, scene descriptions or both.

    ``start`` / ``end`` (seconds or ``HH:MM:SS`` / ``MM:SS``) read only the segments overlapping
    ``[start, end)``; ``max_chars`` stops at a whole segment. The artifact is
    ``{"video_no", "track", "start", "end", "next_start", "segments": [Document, ...]}`` (one
    Document per segment shown; ``transcript_source`` says which track); ``next_start`` (also
    in the text) is where to continue when the text was cut, else None.

    Setup:
        .. code-block:: bash

            pip install "memories-integrations[langchain]"
            export MEMORIES_API_KEY="sk-..."

    Instantiate:
        .. code-block:: python

            from memories_integrations.langchain import MemoriesTranscriptTool

            tool = MemoriesTranscriptTool(max_output_chars=8000)

    Invoke:
        .. code-block:: python

            tool.invoke({"video_no": "VI123", "track": "both"})
            # 'Transcript of VI123 (both):\\n[00:00:00-00:00:02] Visual: a chef ...'
            tool.invoke({"video_no": "VI123", "start": "00:01:00", "end": 90, "max_chars": 2000})
            # 'Transcript of VI123 (audio, 00:01:00-00:01:30):\\n[00:00:58-00:01:03] ...'
    """

    response_format: _ContentAndArtifact = "content_and_artifact"

    _operation: ClassVar[str] = "memories_get_transcript"

    def _present(self, outcome: Outcome) -> tuple[str, dict[str, Any]]:
        return outcome.text, {**outcome.extra, "segments": to_documents(outcome.records)}


class MemoriesSummarizeTool(MemoriesBaseTool):
    """Summary of one encoded video as timestamped chapters (CHAPTER) or topics (TOPIC).

    Setup:
        .. code-block:: bash

            pip install "memories-integrations[langchain]"
            export MEMORIES_API_KEY="sk-..."

    Instantiate:
        .. code-block:: python

            from memories_integrations.langchain import MemoriesSummarizeTool

            tool = MemoriesSummarizeTool()

    Invoke:
        .. code-block:: python

            tool.invoke({"video_no": "VI123", "summary_type": "TOPIC"})
            # 'Summary of VI123 (TOPIC):\\n[00:00:00-00:00:04] Intro: ...'
    """

    _operation: ClassVar[str] = "memories_summarize_video"


class MemoriesChatTool(MemoriesBaseTool):
    """Ask memories.ai's video model about specific encoded videos (spends credits).

    The content is the answer, the cited moments and the ``session_id`` for follow-ups; times
    the answer cites that no returned moment backs are marked ``[unverified: 03:10]`` (with a
    one-line check under the answer). The artifact is ``{"content", "session_id", "citations",
    "references": [Document, ...]}``; ``citations`` is the ``citations.CitationReport``.

    Setup:
        .. code-block:: bash

            pip install "memories-integrations[langchain]"
            export MEMORIES_API_KEY="sk-..."

    Instantiate:
        .. code-block:: python

            from memories_integrations.langchain import MemoriesChatTool

            tool = MemoriesChatTool()

    Invoke:
        .. code-block:: python

            tool.invoke({"video_nos": ["VI123"], "prompt": "What is cooked?"})
            # 'Spaghetti ...\\n\\nCited moments:\\n[1] VI123 (cooking_demo) @ 00:00:06-...'
    """

    response_format: _ContentAndArtifact = "content_and_artifact"

    _operation: ClassVar[str] = "memories_chat_with_videos"

    def _present(self, outcome: Outcome) -> tuple[str, dict[str, Any]]:
        return outcome.text, {**outcome.extra, "references": to_documents(outcome.records)}

"""Content tools: transcripts, summaries and chat about specific videos."""

from __future__ import annotations

from typing import Any, Literal

from langchain_core.documents import Document
from pydantic import BaseModel, Field

from ..._async_client import AsyncMemoriesClient
from ..._client import MemoriesClient
from ...models import ChatResponse, Summary, hhmmss
from .._documents import cite_all, ref_to_document
from .._transcripts import TranscriptSource
from ..document_loaders import MemoriesTranscriptLoader
from ._base import MemoriesBaseTool

__all__ = ["MemoriesChatTool", "MemoriesSummarizeTool", "MemoriesTranscriptTool"]

_VIDEO_NO = "The video number, like 'VI...' (from search results or memories_list_videos)."
_ContentAndArtifact = Literal["content", "content_and_artifact"]


# ---------------------------------------------------------------------------------- transcript
class MemoriesTranscriptInput(BaseModel):
    video_no: str = Field(description=_VIDEO_NO)
    source: TranscriptSource = Field(
        default="audio",
        description="audio: what is said. visual: descriptions of what is shown. "
        "both: the two merged by time.",
    )


class MemoriesTranscriptTool(MemoriesBaseTool):
    name: str = "memories_get_transcript"
    description: str = (
        "Get the timestamped transcript of one encoded video: speech (audio), scene "
        "descriptions (visual) or both. Each line is '[start-end] text'; cite these times."
    )
    args_schema: type[BaseModel] = MemoriesTranscriptInput
    response_format: _ContentAndArtifact = "content_and_artifact"

    def _loader(self, video_no: str, source: TranscriptSource, **client: Any) -> Any:
        return MemoriesTranscriptLoader(
            video_no, source=source, mode="segments", unique_id=self.unique_id, **client
        )

    def _present(
        self, video_no: str, source: str, docs: list[Document]
    ) -> tuple[str, list[Document]]:
        if not docs:
            return f"Video {video_no} has no {source} transcript.", []
        labelled = source == "both"
        lines = [
            f"[{d.metadata['start_timestamp']}-{d.metadata['end_timestamp']}] "
            + (f"[{d.metadata['transcript_source']}] " if labelled else "")
            + d.page_content
            for d in docs
        ]
        return self._cut(f"Transcript of {video_no} ({source}):\n" + "\n".join(lines)), docs

    def _call(  # type: ignore[override]
        self, client: MemoriesClient, *, video_no: str, source: TranscriptSource = "audio"
    ) -> tuple[str, list[Document]]:
        docs = self._loader(video_no, source, client=client).load()
        return self._present(video_no, source, docs)

    async def _acall(  # type: ignore[override]
        self, client: AsyncMemoriesClient, *, video_no: str, source: TranscriptSource = "audio"
    ) -> tuple[str, list[Document]]:
        docs = await self._loader(video_no, source, async_client=client).aload()
        return self._present(video_no, source, docs)


# ---------------------------------------------------------------------------------- summary
class MemoriesSummarizeInput(BaseModel):
    video_no: str = Field(description=_VIDEO_NO)
    summary_type: Literal["CHAPTER", "TOPIC"] = Field(
        default="CHAPTER",
        description="CHAPTER: scene-by-scene chapters with times. TOPIC: the main topics.",
    )


class MemoriesSummarizeTool(MemoriesBaseTool):
    name: str = "memories_summarize_video"
    description: str = (
        "Summarize one encoded video as timestamped chapters (CHAPTER) or topics (TOPIC). "
        "Good for an overview before asking detailed questions."
    )
    args_schema: type[BaseModel] = MemoriesSummarizeInput

    def _present(self, video_no: str, summary: Summary) -> str:
        lines = [f"Summary of {video_no} ({summary.summary_type or 'CHAPTER'}):"]
        if summary.text:
            lines.append(summary.text)
        for item in summary.items:
            end = item.end_time if item.end_time is not None else item.start_time
            title = f"{item.title}: " if item.title else ""
            lines.append(
                f"[{hhmmss(item.start_time)}-{hhmmss(end)}] {title}{item.description}".rstrip()
            )
        if len(lines) == 1:
            lines.append("(the API returned an empty summary)")
        return self._cut("\n".join(lines))

    def _call(  # type: ignore[override]
        self, client: MemoriesClient, *, video_no: str, summary_type: str = "CHAPTER"
    ) -> str:
        summary = client.generate_summary(
            video_no, summary_type=summary_type, unique_id=self.unique_id
        )
        return self._present(video_no, summary)

    async def _acall(  # type: ignore[override]
        self, client: AsyncMemoriesClient, *, video_no: str, summary_type: str = "CHAPTER"
    ) -> str:
        summary = await client.generate_summary(
            video_no, summary_type=summary_type, unique_id=self.unique_id
        )
        return self._present(video_no, summary)


# ---------------------------------------------------------------------------------- chat
class MemoriesChatInput(BaseModel):
    video_nos: list[str] = Field(
        min_length=1, description="Video numbers to ask about (encoded videos, 'VI...')."
    )
    prompt: str = Field(description="The question or instruction about these videos.")
    session_id: str | None = Field(
        default=None,
        description="Continue an earlier conversation: the session_id a previous call returned.",
    )


class MemoriesChatTool(MemoriesBaseTool):
    name: str = "memories_chat_with_videos"
    description: str = (
        "Ask memories.ai's video model a question about specific encoded videos. Returns its "
        "answer, the moments it cited (video_no @ start-end) and a session_id for follow-ups. "
        "Quote the cited moments when you answer."
    )
    args_schema: type[BaseModel] = MemoriesChatInput
    response_format: _ContentAndArtifact = "content_and_artifact"

    def _present(self, response: ChatResponse) -> tuple[str, dict[str, Any]]:
        unique_id = self._clients().unique_id
        names = {r.video.video_no: r.video.video_name for r in response.references}
        docs = [
            ref_to_document(m, unique_id=unique_id, video_name=names.get(m.video_no or ""))
            for m in response.moments
            if m.type != "keyframe"  # keyframes repeat a text moment's start, without text
        ]
        parts = [response.content.strip() or "(empty answer)"]
        if docs:
            parts.append("Cited moments:\n" + cite_all(docs))
        if response.session_id:
            parts.append(f"session_id: {response.session_id} (pass it to continue this chat)")
        artifact = {
            "content": response.content,
            "session_id": response.session_id,
            "references": docs,
        }
        return self._cut("\n\n".join(parts)), artifact

    def _call(  # type: ignore[override]
        self,
        client: MemoriesClient,
        *,
        video_nos: list[str],
        prompt: str,
        session_id: str | None = None,
    ) -> tuple[str, dict[str, Any]]:
        response = client.chat(video_nos, prompt, session_id=session_id, unique_id=self.unique_id)
        return self._present(response)

    async def _acall(  # type: ignore[override]
        self,
        client: AsyncMemoriesClient,
        *,
        video_nos: list[str],
        prompt: str,
        session_id: str | None = None,
    ) -> tuple[str, dict[str, Any]]:
        response = await client.chat(
            video_nos, prompt, session_id=session_id, unique_id=self.unique_id
        )
        return self._present(response)

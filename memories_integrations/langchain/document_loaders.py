"""Load transcripts and visual captions of memories.ai videos as LangChain Documents."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Literal

from langchain_core.document_loaders import BaseLoader
from langchain_core.documents import Document
from langchain_core.utils import from_env, secret_from_env
from pydantic import SecretStr

from memories_integrations import errors
from memories_integrations._client._async.client import AsyncMemoriesClient
from memories_integrations._client._sync.client import MemoriesClient
from memories_integrations._tools.bulk import (
    DEFAULT_CONCURRENCY,
    LoadFailure,
    ProgressHook,
    gather_bounded,
)
from memories_integrations._tools.clients import MISSING_KEY, ClientResolver
from memories_integrations._tools.documents import fmt_seconds
from memories_integrations._tools.documents import summary_segments as chapter_cues
from memories_integrations._tools.ranges import tag_chapters
from memories_integrations._tools.tracks import TRACK_GROUPS, pace
from memories_integrations._transport.auth import KEY_ENV_VARS
from memories_integrations.langchain._documents import document_id, moment_source
from memories_integrations.langchain._transcripts import (
    Cue,
    TranscriptSource,
    afetch,
    fetch,
    render_lines,
    to_srt,
    to_vtt,
    windows,
)
from memories_integrations.models import hhmmss

__all__ = ["LoaderMode", "MemoriesTranscriptLoader"]

log = logging.getLogger(__name__)

LoaderMode = Literal["single", "segments", "chunks", "srt", "vtt"]
_MODES = ("single", "segments", "chunks", "srt", "vtt")
_SOURCES = ("audio", "visual", "both")


class MemoriesTranscriptLoader(BaseLoader):
    """Transcripts of memories.ai videos.

    ``source``: ``"audio"`` (speech), ``"visual"`` (scene captions) or ``"both"`` merged by time.
    ``concurrency`` / ``on_progress``: how many videos ``alazy_load`` / ``aload`` fetch at
    once, and a hook told after each video (``LoadProgress``); ``failures`` lists the videos
    the last async load could not read. ``mode``:

    - ``"single"``: one Document per video, one ``[HH:MM:SS-HH:MM:SS] text`` line per segment;
    - ``"segments"``: one Document per segment;
    - ``"chunks"``: one Document per fixed window of ``chunk_seconds``;
    - ``"srt"`` / ``"vtt"``: one Document per video holding a subtitle file.

    Videos with nothing in the requested track (e.g. no audio) yield no Document.
    ``with_chapters=True`` tags each Document with the chapter it falls in (metadata
    ``chapter``, and ``chapters`` when it spans several), from the video's CHAPTER summary (one
    more request per video).

    Example:
        .. code-block:: python

            loader = MemoriesTranscriptLoader(["VI123"], source="both", mode="chunks",
                                              chunk_seconds=30)
            docs = loader.load()          # or: [d async for d in loader.alazy_load()]
    """

    def __init__(
        self,
        video_nos: Sequence[str] | str,
        *,
        source: TranscriptSource = "audio",
        mode: LoaderMode = "single",
        chunk_seconds: float = 60.0,
        on_progress: ProgressHook | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        client: MemoriesClient | None = None,
        async_client: AsyncMemoriesClient | None = None,
        api_key: SecretStr | str | None = None,
        base_url: str | None = None,
        unique_id: str | None = None,
        with_chapters: bool = False,
    ) -> None:
        self.with_chapters = with_chapters
        self.video_nos = [video_nos] if isinstance(video_nos, str) else list(video_nos)
        if not self.video_nos:
            raise ValueError("video_nos must name at least one video")
        if source not in _SOURCES:
            raise ValueError(f"source must be one of {', '.join(_SOURCES)}; got {source!r}")
        if mode not in _MODES:
            raise ValueError(f"mode must be one of {', '.join(_MODES)}; got {mode!r}")
        if chunk_seconds <= 0:
            raise ValueError("chunk_seconds must be positive")
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
            raise errors.InvalidInputError("concurrency must be an int >= 1", param="concurrency")
        self.concurrency = concurrency
        self.on_progress = on_progress
        self._failures: list[LoadFailure] = []
        self.source: TranscriptSource = source
        self.mode: LoaderMode = mode
        self.chunk_seconds = float(chunk_seconds)
        self.unique_id = unique_id
        key = SecretStr(api_key) if isinstance(api_key, str) else api_key
        if key is None:
            key = secret_from_env(list(KEY_ENV_VARS), default=None)()
        if client is None and async_client is None and key is None:
            raise ValueError(MISSING_KEY)  # at construction, like every LangChain component
        self._clients = ClientResolver(
            client=client,
            async_client=async_client,
            api_key=key,
            base_url=base_url or from_env("MEMORIES_BASE_URL", default=None)(),
            unique_id=unique_id,
        )

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(video_nos={self.video_nos!r}, source={self.source!r}, "
            f"mode={self.mode!r}, unique_id={self.unique_id!r})"
        )

    def lazy_load(self) -> Iterator[Document]:
        client = self._clients.sync()
        for video_no in self.video_nos:
            cues = fetch(client, video_no, self.source, self.unique_id)
            chapters: list[Cue] = []
            if self.with_chapters and cues:
                chapters = chapter_cues(
                    client.generate_summary(
                        video_no, summary_type="CHAPTER", unique_id=self.unique_id
                    )
                )
            yield from self._tag(self._documents(video_no, cues), chapters)

    async def alazy_load(self) -> AsyncIterator[Document]:
        """Load the videos concurrently (at most ``concurrency`` at once, each request paced at
        the API's transcript limit), then yield their Documents in the order of ``video_nos``.
        A video that fails is logged, told to ``on_progress`` and kept in ``failures``; the
        others still load."""
        client = self._clients.async_()

        async def load(video_no: str) -> list[Document]:
            cues = await afetch(client, video_no, self.source, self.unique_id, paced=True)
            chapters: list[Cue] = []
            if self.with_chapters and cues:
                await pace(client, TRACK_GROUPS["summary"])
                summary = await client.generate_summary(
                    video_no, summary_type="CHAPTER", unique_id=self.unique_id
                )
                chapters = chapter_cues(summary)
            return self._tag(self._documents(video_no, cues), chapters)

        results, self._failures = await gather_bounded(
            self.video_nos, load, concurrency=self.concurrency, on_progress=self.on_progress
        )
        for _, docs in results:
            for doc in docs:
                yield doc

    @property
    def failures(self) -> list[LoadFailure]:
        """Videos the last async load could not read, with the error of each."""
        return list(self._failures)

    # ------------------------------------------------------------------ shaping
    @staticmethod
    def _tag(docs: list[Document], chapters: list[Cue]) -> list[Document]:
        for doc in docs if chapters else []:
            tag_chapters(doc.metadata, chapters)
        return docs

    def _documents(self, video_no: str, cues: list[Cue]) -> list[Document]:
        if not cues:
            log.warning("video %s has no %s transcript; skipped", video_no, self.source)
            return []
        labelled = self.source == "both"
        if self.mode == "segments":
            return [self._doc(video_no, c.start, c.end, c.text, channel=c.track) for c in cues]
        if self.mode == "chunks":
            return [
                self._doc(video_no, w.start, w.end, render_lines(w.segments, labelled))
                for w in windows(cues, self.chunk_seconds)
            ]
        start, end = min(c.start for c in cues), max(c.end for c in cues)
        render = {"single": render_lines, "srt": to_srt, "vtt": to_vtt}[self.mode]
        doc = self._doc(video_no, start, end, render(cues, labelled))
        doc.metadata["segment_count"] = len(cues)
        doc.metadata["source"] = f"memories://{self._clients.unique_id}/{video_no}"
        return [doc]

    def _doc(
        self, video_no: str, start: float, end: float, text: str, *, channel: str | None = None
    ) -> Document:
        unique_id = self._clients.unique_id
        kind = f"TRANSCRIPT_{self.source}_{channel or self.mode}"
        if self.mode == "chunks":
            kind += f"_{fmt_seconds(self.chunk_seconds)}"
        return Document(
            id=document_id(unique_id, video_no, start, end, kind),
            page_content=text,
            metadata={
                "video_no": video_no,
                "unique_id": unique_id,
                "start_time": float(start),
                "end_time": float(end),
                "start_timestamp": hhmmss(start),
                "end_timestamp": hhmmss(end),
                "transcript_source": channel or self.source,
                "format": self.mode,
                "source": moment_source(unique_id, video_no, start, end),
            },
        )

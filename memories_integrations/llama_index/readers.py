"""``MemoriesVideoReader``: the videos of a memories.ai namespace as LlamaIndex ``Document``s."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from llama_index.core.readers.base import BasePydanticReader, ResourcesReaderMixin
from llama_index.core.schema import Document
from pydantic import Field, PrivateAttr, SecretStr

from memories_integrations._client._async.client import AsyncMemoriesClient
from memories_integrations._client._sync.client import MemoriesClient
from memories_integrations._tools import documents as docs
from memories_integrations._tools.bulk import (
    DEFAULT_CONCURRENCY,
    LoadFailure,
    ProgressHook,
    gather_bounded,
)
from memories_integrations._tools.clients import ClientResolver
from memories_integrations._tools.ranges import tag_chapters
from memories_integrations._tools.tracks import Tracks, afetch_tracks, fetch_tracks, pace
from memories_integrations.models import VideoMetadata, VideoStatus

log = logging.getLogger("memories_integrations.llama_index")

Content = Literal["audio", "visual", "summary", "merged"]
Granularity = Literal["video", "segment", "window"]

#: Ids and links are for code, not for similarity or the LLM's prompt; float seconds duplicate
#: the HH:MM:SS the LLM cites, so they are kept out as well.
EXCLUDED_EMBED_METADATA_KEYS = [
    "video_no",
    "unique_id",
    "source",
    "start_time",
    "end_time",
    "content",
    "granularity",
]
EXCLUDED_LLM_METADATA_KEYS = [
    "video_no",
    "unique_id",
    "source",
    "start_time",
    "end_time",
    "content",
    "granularity",
]


@dataclass(frozen=True)
class _VideoRef:
    video_no: str
    video_name: str | None
    duration: float | None = None


class MemoriesVideoReader(BasePydanticReader, ResourcesReaderMixin):
    """Load memories.ai videos as ``Document``s.

    What is read (``content``): ``"audio"`` transcript, ``"visual"`` captions, ``"summary"``
    chapters, or ``"merged"`` (captions and speech in one timeline). How it is cut
    (``granularity``): one document per ``"video"``, per ``"segment"`` (one moment, its caption
    and speech together), or per fixed ``"window"`` of ``window_seconds``.

    Which videos: ``video_nos`` if given, else every ready (PARSE) video of ``unique_id``
    matching ``list_filters`` (``list_videos`` filters: ``video_name``, ``tag`` ...).

    >>> reader = MemoriesVideoReader(content="merged", granularity="window", window_seconds=30)
    >>> documents = reader.load_data()
    """

    is_remote: bool = True
    api_key: SecretStr | None = Field(default=None, exclude=True, repr=False)
    base_url: str | None = None
    unique_id: str | None = Field(
        default=None, description="Namespace; defaults to the client's (usually 'default')."
    )
    video_nos: list[str] | None = None
    list_filters: dict[str, Any] = Field(default_factory=dict)
    content: Content = "merged"
    granularity: Granularity = "video"
    window_seconds: float = Field(default=60.0, gt=0)
    summary_type: Literal["CHAPTER", "TOPIC"] = "CHAPTER"
    with_chapters: bool = Field(
        default=False,
        description="Tag each document with the chapter it falls in (metadata 'chapter', and "
        "'chapters' when it spans several), from the video's CHAPTER summary (one more request "
        "per video).",
    )
    ready_only: bool = Field(
        default=True, description="Skip listed videos that are not encoded (PARSE) yet."
    )

    concurrency: int = Field(
        default=DEFAULT_CONCURRENCY, ge=1, description="Videos loaded at once by aload_data."
    )
    on_progress: ProgressHook | None = Field(default=None, exclude=True, repr=False)
    """Called after each video of an async load (``LoadProgress``: done, total, failure)."""

    _clients: ClientResolver = PrivateAttr()
    _failures: list[LoadFailure] = PrivateAttr(default_factory=list)

    def __init__(
        self,
        *,
        client: MemoriesClient | None = None,
        async_client: AsyncMemoriesClient | None = None,
        **data: Any,
    ) -> None:
        super().__init__(**data)
        self._clients = ClientResolver(
            client=client, async_client=async_client, api_key=self.api_key, base_url=self.base_url
        )

    @classmethod
    def class_name(cls) -> str:
        return "MemoriesVideoReader"

    @property
    def namespace(self) -> str:
        return self.unique_id or self._clients.unique_id

    # ------------------------------------------------------------------ sync loading
    def lazy_load_data(
        self, video_nos: Sequence[str] | None = None, **load_kwargs: Any
    ) -> Iterator[Document]:
        """Yield documents video by video (one video's requests at a time)."""
        for ref in self._targets(video_nos):
            yield from self._documents(ref, self._fetch(ref.video_no))

    def load_data(
        self, video_nos: Sequence[str] | None = None, **load_kwargs: Any
    ) -> list[Document]:
        return list(self.lazy_load_data(video_nos))

    def _targets(self, video_nos: Sequence[str] | None) -> Iterator[_VideoRef]:
        chosen = video_nos if video_nos is not None else self.video_nos
        client = self._clients.sync()
        if chosen is not None:
            for video_no in chosen:
                ref = self._ref_from_metadata(
                    client.get_metadata(video_no, unique_id=self.namespace)
                )
                if ref is not None:
                    yield ref
            return
        for video in client.iter_videos(unique_id=self.namespace, **self.list_filters):
            if not self.ready_only or video.status is VideoStatus.PARSE:
                yield _VideoRef(video.video_no, video.video_name, video.duration)

    def _wanted(self) -> dict[str, Any]:
        summary = self.summary_type if self.content == "summary" else None
        if summary is None and self.with_chapters:
            summary = "CHAPTER"  # only for the chapter titles
        return {
            "audio": self.content in ("audio", "merged"),
            "visual": self.content in ("visual", "merged"),
            "summary_type": summary,
            "unique_id": self.namespace,
        }

    def _fetch(self, video_no: str) -> Tracks:
        return fetch_tracks(self._clients.sync(), video_no, **self._wanted())

    # ------------------------------------------------------------------ async loading
    async def alazy_load_data(
        self, video_nos: Sequence[str] | None = None, **load_kwargs: Any
    ) -> list[Document]:
        """Native async load of many videos at once (the framework's contract: awaitable
        returning the documents). At most ``concurrency`` videos are in flight and the client's
        rate limiter paces the requests; a video that fails is logged, told to ``on_progress``
        and kept in ``failures``, and the others still load."""
        chosen = video_nos if video_nos is not None else self.video_nos
        listed: dict[str, _VideoRef] = {}
        if chosen is None:
            listed = {r.video_no: r for r in await self._atargets(None)}
        client = self._clients.async_()

        async def load(video_no: str) -> list[Document]:
            ref: _VideoRef | None = listed.get(video_no)
            if ref is None:
                await pace(client, "list_videos")  # get_metadata's group: 5/s
                meta = await client.get_metadata(video_no, unique_id=self.namespace)
                ref = self._ref_from_metadata(meta)
                if ref is None:
                    return []
            return self._documents(ref, await self._afetch(video_no, paced=True))

        results, self._failures = await gather_bounded(
            list(chosen) if chosen is not None else list(listed),
            load,
            concurrency=self.concurrency,
            on_progress=self.on_progress,
        )
        return [doc for _, docs in results for doc in docs]

    async def aload_data(
        self, video_nos: Sequence[str] | None = None, **load_kwargs: Any
    ) -> list[Document]:
        return await self.alazy_load_data(video_nos)

    @property
    def failures(self) -> list[LoadFailure]:
        """Videos the last async load could not read, with the error of each."""
        return list(self._failures)

    async def _atargets(self, video_nos: Sequence[str] | None) -> list[_VideoRef]:
        chosen = video_nos if video_nos is not None else self.video_nos
        client = self._clients.async_()
        refs: list[_VideoRef | None] = []
        if chosen is not None:
            for video_no in chosen:
                meta = await client.get_metadata(video_no, unique_id=self.namespace)
                refs.append(self._ref_from_metadata(meta))
        else:
            async for video in client.iter_videos(unique_id=self.namespace, **self.list_filters):
                if not self.ready_only or video.status is VideoStatus.PARSE:
                    refs.append(_VideoRef(video.video_no, video.video_name, video.duration))
        return [r for r in refs if r is not None]

    async def _afetch(self, video_no: str, *, paced: bool = False) -> Tracks:
        # The tracks of a merged load are independent: fetched concurrently.
        return await afetch_tracks(self._clients.async_(), video_no, paced=paced, **self._wanted())

    # ------------------------------------------------------------------ resources
    def list_resources(self, *args: Any, **kwargs: Any) -> list[str]:
        """Video numbers of the namespace (honouring ``list_filters`` and ``ready_only``)."""
        return [ref.video_no for ref in self._targets(None)]

    async def alist_resources(self, *args: Any, **kwargs: Any) -> list[str]:
        return [ref.video_no for ref in await self._atargets(None)]

    def get_resource_info(self, resource_id: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Status and capture metadata of one video (``get_metadata``) plus its source link."""
        return self._info(self._clients.sync().get_metadata(resource_id, unique_id=self.namespace))

    async def aget_resource_info(
        self, resource_id: str, *args: Any, **kwargs: Any
    ) -> dict[str, Any]:
        meta = await self._clients.async_().get_metadata(resource_id, unique_id=self.namespace)
        return self._info(meta)

    def load_resource(self, resource_id: str, *args: Any, **kwargs: Any) -> list[Document]:
        """Documents of one video, whatever its status (an unencoded video yields none)."""
        meta = self._clients.sync().get_metadata(resource_id, unique_id=self.namespace)
        ref = _VideoRef(meta.video_no, meta.video_name, meta.duration)
        return self._documents(ref, self._fetch(ref.video_no))

    async def aload_resource(self, resource_id: str, *args: Any, **kwargs: Any) -> list[Document]:
        meta = await self._clients.async_().get_metadata(resource_id, unique_id=self.namespace)
        ref = _VideoRef(meta.video_no, meta.video_name, meta.duration)
        return self._documents(ref, await self._afetch(ref.video_no))

    def _info(self, meta: VideoMetadata) -> dict[str, Any]:
        info = meta.model_dump(mode="json", exclude_none=True)
        info["status"] = meta.status.value
        info["source"] = docs.source_link(self.namespace, meta.video_no, 0.0, meta.duration)
        return info

    def _ref_from_metadata(self, meta: VideoMetadata) -> _VideoRef | None:
        if meta.status is not VideoStatus.PARSE:
            # Its transcripts do not exist yet; loading it would give nothing or an error.
            log.warning("skipping video %s: status %s", meta.video_no, meta.status.value)
            return None
        return _VideoRef(meta.video_no, meta.video_name, meta.duration)

    # ------------------------------------------------------------------ shaping
    def _documents(self, ref: _VideoRef, tracks: Tracks) -> list[Document]:
        found = self._shape(ref, tracks)
        if self.with_chapters and tracks.summary is not None:
            chapters = docs.summary_segments(tracks.summary)
            for doc in found:
                tag_chapters(doc.metadata, chapters)
        return found

    def _shape(self, ref: _VideoRef, tracks: Tracks) -> list[Document]:
        audio, visual = tracks.audio, tracks.visual
        # With chapters the summary is fetched for its titles only, unless it is the content.
        summary = tracks.summary if self.content == "summary" else None
        if summary is not None:
            segments = docs.summary_segments(summary)
        else:
            segments = docs.merge_tracks(
                docs.transcript_segments(audio, "audio") if audio else [],
                docs.transcript_segments(visual, "visual") if visual else [],
            )
        if self.granularity == "video":
            overall = summary.text.strip() if summary is not None else ""
            if not segments and not overall:
                return []
            end = max([s.end for s in segments] + [ref.duration or 0.0])
            text = "\n\n".join(p for p in (overall, docs.render_lines(segments)) if p)
            return [self._document(ref, text, 0.0, end)]
        if self.granularity == "segment":
            spans = docs.group_moments(segments)
        else:
            spans = docs.window_segments(segments, self.window_seconds)
        return [self._document(ref, docs.render_lines(w.segments), w.start, w.end) for w in spans]

    def _document(self, ref: _VideoRef, text: str, start: float, end: float) -> Document:
        meta = docs.moment_metadata(
            unique_id=self.namespace,
            video_no=ref.video_no,
            video_name=ref.video_name,
            start=start,
            end=end,
        )
        meta["content"] = self.content
        meta["granularity"] = self.granularity
        # The id depends only on what the document covers, so re-ingestion upserts.
        kind = f"{self.content}:{self.summary_type}" if self.content == "summary" else self.content
        doc_id = docs.stable_id(
            "doc",
            self.namespace,
            ref.video_no,
            kind,
            self.granularity,
            docs.fmt_seconds(start),
            docs.fmt_seconds(end),
        )
        return Document(
            id_=doc_id,
            text=text,
            metadata=meta,
            excluded_embed_metadata_keys=list(EXCLUDED_EMBED_METADATA_KEYS),
            excluded_llm_metadata_keys=list(EXCLUDED_LLM_METADATA_KEYS),
        )


__all__ = [
    "EXCLUDED_EMBED_METADATA_KEYS",
    "EXCLUDED_LLM_METADATA_KEYS",
    "MemoriesVideoReader",
]

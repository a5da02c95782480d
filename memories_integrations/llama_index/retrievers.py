"""``MemoriesRetriever``: memories.ai semantic video search as a LlamaIndex retriever."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.callbacks import CallbackManager
from llama_index.core.schema import (
    ImageNode,
    NodeRelationship,
    NodeWithScore,
    QueryBundle,
    RelatedNodeInfo,
    TextNode,
)
from pydantic import SecretStr

from memories_integrations._client._async.client import AsyncMemoriesClient
from memories_integrations._client._sync.client import MemoriesClient
from memories_integrations._endpoints import validation as v
from memories_integrations._tools import documents as docs
from memories_integrations._tools.clients import ClientResolver
from memories_integrations._tools.keyframes import (
    Keyframe,
    KeyframeCache,
    afetch_keyframes,
    default_cache,
    fetch_keyframes,
)
from memories_integrations._tools.media import keyframe_metadata, keyframe_pointers
from memories_integrations.models import SearchHit

#: Ids, links, float seconds and per-query scores say nothing about the content.
# Times stay out of the embedding text (they say nothing about what happens); the LLM view
# keeps video_no, which the tools tell the model to cite.
EXCLUDED_EMBED_METADATA_KEYS = [
    "video_no",
    "unique_id",
    "source",
    "start_time",
    "end_time",
    "start_timestamp",
    "end_timestamp",
    "score",
    "search_type",
]
EXCLUDED_LLM_METADATA_KEYS = [
    "unique_id",
    "source",
    "start_time",
    "end_time",
    "score",
    "search_type",
]


class MemoriesRetriever(BaseRetriever):
    """Retrieve timestamped video moments with memories.ai search.

    Each ``NodeWithScore`` holds a ``TextNode`` whose text is the moment's caption and/or
    transcript and whose metadata says where it is: video_no, video_name, start_time/end_time
    (float seconds), start_timestamp (HH:MM:SS), score, search_type, unique_id and a
    ``memories://`` source link. Node ids are stable: the same moment found the same way always
    has the same id.

    >>> retriever = MemoriesRetriever(k=5, search_type="BY_CLIP")
    >>> nodes = retriever.retrieve("a goal is scored")
    """

    def __init__(
        self,
        *,
        k: int | None = None,
        similarity_top_k: int | None = None,
        search_type: str = "BY_CLIP",
        unique_id: str | None = None,
        video_nos: Sequence[str] | None = None,
        tag: str | None = None,
        filtering_level: str | None = None,
        score_threshold: float | None = None,
        camera_tag: str | None = None,
        datetime_taken: str | None = None,
        latitude: float | None = None,
        longitude: float | None = None,
        client: MemoriesClient | None = None,
        async_client: AsyncMemoriesClient | None = None,
        api_key: SecretStr | str | None = None,
        base_url: str | None = None,
        callback_manager: CallbackManager | None = None,
        verbose: bool = False,
        include_keyframes: int = 0,
        keyframe_cache: KeyframeCache | None = None,
    ) -> None:
        if k is not None and similarity_top_k is not None and k != similarity_top_k:
            raise v.InvalidInputError(
                "k and similarity_top_k are the same option; pass only one", param="k"
            )
        top_k = k if k is not None else (similarity_top_k if similarity_top_k is not None else 4)
        # Bad options fail here, at construction, rather than at the first query.
        self.search_type = v.choice(search_type, v.SEARCH_TYPES, param="search_type", endpoint="")
        self.k = v.int_range(top_k, 1, 1000, param="k", endpoint="")
        self.unique_id = unique_id
        self.video_nos = list(video_nos) if video_nos is not None else None
        self.tag = tag
        self.filtering_level = filtering_level
        self.score_threshold = v.score_threshold(score_threshold)
        self.camera_tag = camera_tag
        self.datetime_taken = datetime_taken
        self.latitude = latitude
        self.longitude = longitude
        # The best N hits come back as ImageNodes holding their keyframe (0: text only).
        self.include_keyframes = v.int_range(
            include_keyframes, 0, 10, param="include_keyframes", endpoint=""
        )
        self.keyframe_cache = keyframe_cache
        self._clients = ClientResolver(
            client=client, async_client=async_client, api_key=api_key, base_url=base_url
        )
        super().__init__(callback_manager=callback_manager, verbose=verbose)

    @property
    def similarity_top_k(self) -> int:
        """LlamaIndex's name for ``k``."""
        return self.k

    @property
    def namespace(self) -> str:
        return self.unique_id or self._clients.unique_id

    def __repr__(self) -> str:
        return (
            f"MemoriesRetriever(k={self.k}, search_type={self.search_type!r}, "
            f"unique_id={self.namespace!r})"
        )

    def _search_kwargs(self) -> dict[str, Any]:
        return {
            "search_type": self.search_type,
            "top_k": self.k,
            "filtering_level": self.filtering_level,
            "video_nos": self.video_nos,
            "tag": self.tag,
            "camera_tag": self.camera_tag,
            "datetime_taken": self.datetime_taken,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "unique_id": self.namespace,
        }

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        hits = self._ranked(
            self._clients.sync().search(query_bundle.query_str, **self._search_kwargs())
        )
        frames: list[Keyframe] = []
        if self.include_keyframes:
            frames = fetch_keyframes(self._clients.sync(), self._pointers(hits), self._cache())
        return self._to_nodes(hits, frames)

    async def _aretrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        # Native async: the default would run the blocking _retrieve on the event loop.
        client = self._clients.async_()
        hits = self._ranked(await client.search(query_bundle.query_str, **self._search_kwargs()))
        frames: list[Keyframe] = []
        if self.include_keyframes:
            frames = await afetch_keyframes(client, self._pointers(hits), self._cache())
        return self._to_nodes(hits, frames)

    def _ranked(self, hits: list[SearchHit]) -> list[SearchHit]:
        threshold = self.score_threshold
        kept = [h for h in hits if threshold is None or (h.score or 0.0) >= threshold]
        # The API may send more than top_k (or unranked); the retriever promises at most k.
        kept.sort(key=lambda h: (not h.timed, -(h.score or 0.0)))  # untimed last
        return kept[: self.k]

    def _pointers(self, hits: list[SearchHit]) -> list[Any]:
        metas = [self.to_node(h).metadata for h in hits[: self.include_keyframes]]
        return keyframe_pointers(hits, metas, self.include_keyframes)

    def _cache(self) -> KeyframeCache:
        return self.keyframe_cache or default_cache()

    def _to_nodes(self, hits: list[SearchHit], frames: Sequence[Keyframe]) -> list[NodeWithScore]:
        nodes = [self.to_node(h) for h in hits]
        for i, frame in enumerate(frames):
            nodes[i] = self.image_node(nodes[i], frame)
        return [NodeWithScore(node=n, score=h.score) for n, h in zip(nodes, hits, strict=True)]

    @staticmethod
    def image_node(node: TextNode, frame: Keyframe) -> TextNode:
        """``node`` as an ``ImageNode`` holding the keyframe (base64 data, cached path, type);
        without an image: the same ``TextNode`` with a ``keyframe_note`` saying why."""
        metadata = {**node.metadata, **keyframe_metadata(frame)}
        if not frame.ok:
            return node.model_copy(update={"metadata": metadata})
        return ImageNode(
            id_=node.id_,
            text=node.text,
            metadata=metadata,
            image=frame.base64(),
            image_path=str(frame.path) if frame.path is not None else None,
            image_mimetype=frame.mime_type,
            excluded_embed_metadata_keys=[*EXCLUDED_EMBED_METADATA_KEYS, "keyframe_path"],
            excluded_llm_metadata_keys=[*EXCLUDED_LLM_METADATA_KEYS, "keyframe_path"],
        )

    def to_node(self, hit: SearchHit) -> TextNode:
        """The ``TextNode`` of one search hit (public so tools and tests share one mapping)."""
        ns = self.namespace
        return TextNode(
            id_=docs.hit_id(hit, unique_id=ns, search_type=self.search_type),
            text=docs.hit_text(hit),
            metadata=docs.hit_metadata(hit, unique_id=ns, search_type=self.search_type),
            excluded_embed_metadata_keys=list(EXCLUDED_EMBED_METADATA_KEYS),
            excluded_llm_metadata_keys=list(EXCLUDED_LLM_METADATA_KEYS),
            relationships=video_source(ns, hit.video_no),
        )


def video_source(namespace: str, video_no: str) -> dict[NodeRelationship, RelatedNodeInfo]:
    """A moment's ``SOURCE`` relationship: the video it comes from."""
    info = RelatedNodeInfo(
        node_id=video_no,
        metadata={"video_no": video_no, "unique_id": namespace},
    )
    return {NodeRelationship.SOURCE: info}


__all__ = [
    "EXCLUDED_EMBED_METADATA_KEYS",
    "EXCLUDED_LLM_METADATA_KEYS",
    "MemoriesRetriever",
    "video_source",
]

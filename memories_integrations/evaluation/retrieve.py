"""Run one query through the public retriever a configuration names, as users run it; the
framework adapters are imported on first use."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from memories_integrations._client._sync.client import MemoriesClient
from memories_integrations.evaluation.config import RetrievalConfig
from memories_integrations.evaluation.metrics import Moment

__all__ = ["Retrieve", "build_retriever", "moment_from_metadata"]

#: query -> ranked moments
Retrieve = Callable[[str], list[Moment]]


def _float(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def moment_from_metadata(metadata: Mapping[str, Any], score: Any = None) -> Moment:
    """A Document's / node's metadata (video_no, start_time, end_time, ...) as a Moment."""
    start = _float(metadata.get("start_time")) or 0.0
    end = _float(metadata.get("end_time"))
    return Moment(
        video_no=str(metadata.get("video_no") or ""),
        start=start,
        end=start if end is None else end,
        score=_float(metadata.get("score") if score is None else score),
        video_name=metadata.get("video_name"),
    )


def build_retriever(
    config: RetrievalConfig, client: MemoriesClient, namespace: str | None
) -> Retrieve:
    common: dict[str, Any] = {
        "client": client,
        "k": config.k,
        "score_threshold": config.score_threshold,
        "unique_id": namespace,
    }
    if config.framework == "llama_index":
        from memories_integrations.llama_index import MemoriesRetriever as LlamaRetriever

        llama = LlamaRetriever(search_type=config.search_type, **common)
        return lambda q: [moment_from_metadata(n.node.metadata, n.score) for n in llama.retrieve(q)]
    from memories_integrations.langchain import MemoriesHybridRetriever, MemoriesRetriever

    if config.search_type == "HYBRID":
        retriever: Any = MemoriesHybridRetriever(padding=config.padding, **common)
    else:
        retriever = MemoriesRetriever(search_type=config.search_type, **common)
    return lambda q: [moment_from_metadata(d.metadata) for d in retriever.invoke(q)]

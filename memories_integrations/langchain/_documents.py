"""Search hits -> LangChain Documents (ids and links from the shared core), and the
compact citation text tools show to a model."""

from __future__ import annotations

from collections.abc import Sequence

from langchain_core.documents import Document

from memories_integrations._tools import formatting
from memories_integrations._tools.documents import fmt_seconds, source_link, stable_id
from memories_integrations._tools.formatting import truncate
from memories_integrations._tools.operations import hit_record, rank_hits
from memories_integrations.models import SearchHit

__all__ = [
    "cite",
    "document_id",
    "hit_to_document",
    "moment_source",
    "rank_documents",
    "truncate",
]


def moment_source(unique_id: str, video_no: str, start: float, end: float) -> str:
    """A stable link to a moment: ``memories://<unique_id>/<video_no>?t=<start>-<end>``."""
    return source_link(unique_id, video_no, start, end)


def document_id(unique_id: str, video_no: str, start: float, end: float, kind: str) -> str:
    """Deterministic id: the same moment found the same way always gets the same id — the
    same id the LlamaIndex adapter gives it (both use the framework-neutral helpers)."""
    return stable_id("hit", unique_id, video_no, kind, fmt_seconds(start), fmt_seconds(end))


def hit_to_document(hit: SearchHit, *, search_type: str, unique_id: str) -> Document:
    record = hit_record(hit, search_type=search_type, namespace=unique_id)
    return Document(id=record.id, page_content=record.text, metadata=record.metadata)


def rank_documents(
    hits: Sequence[SearchHit],
    *,
    search_type: str,
    unique_id: str,
    score_threshold: float | None = None,
) -> list[Document]:
    """Hits at or above ``score_threshold``, best first (ties keep the server's order)."""
    ranked = rank_hits(hits, score_threshold)
    return [hit_to_document(h, search_type=search_type, unique_id=unique_id) for h in ranked]


def cite(doc: Document) -> str:
    """``VI123 (name) @ 00:01:12-00:01:20, score 0.81: <text>``: what a model should quote."""
    return formatting.cite(doc.metadata, doc.page_content)


def cite_all(docs: Sequence[Document]) -> str:
    return formatting.cite_all([(d.metadata, d.page_content) for d in docs])

"""Search hits, chat references and transcript segments -> LangChain Documents, and the
compact citation text tools show to a model."""

from __future__ import annotations

from collections.abc import Sequence

from langchain_core.documents import Document

from .._documents import fmt_seconds, moment_metadata, source_link, stable_id
from ..models import RefItem, SearchHit

__all__ = [
    "cite",
    "document_id",
    "hit_to_document",
    "moment_source",
    "rank_documents",
    "ref_to_document",
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
    end = hit.end_time if hit.end_time is not None else hit.start_time
    metadata = moment_metadata(
        unique_id=unique_id,
        video_no=hit.video_no,
        video_name=hit.video_name,
        start=hit.start_time,
        end=end,
    )
    metadata.update(score=hit.score, search_type=search_type)
    # Keep the per-track texts: the hybrid retriever and callers citing speech need them apart.
    if hit.caption:
        metadata["caption"] = hit.caption
    if hit.audio_ts:
        metadata["transcript"] = hit.audio_ts
    return Document(
        id=document_id(unique_id, hit.video_no, hit.start_time, end, search_type),
        page_content=hit.text,
        metadata=metadata,
    )


def rank_documents(
    hits: Sequence[SearchHit],
    *,
    search_type: str,
    unique_id: str,
    score_threshold: float | None = None,
) -> list[Document]:
    """Hits at or above ``score_threshold``, best first (ties keep the server's order)."""
    if score_threshold is not None:
        hits = [h for h in hits if h.score is not None and h.score >= score_threshold]
    ranked = sorted(hits, key=lambda h: -(h.score or 0.0))
    return [hit_to_document(h, search_type=search_type, unique_id=unique_id) for h in ranked]


def ref_to_document(item: RefItem, *, unique_id: str, video_name: str | None = None) -> Document:
    """A moment cited by a chat answer."""
    video_no = item.video_no or ""
    end = item.end_time if item.end_time is not None else item.start_time
    metadata = moment_metadata(
        unique_id=unique_id,
        video_no=video_no,
        video_name=video_name,
        start=item.start_time,
        end=end,
    )
    metadata["ref_type"] = item.type
    return Document(
        id=document_id(unique_id, video_no, item.start_time, end, f"CHAT_{item.type}"),
        page_content=item.text or "",
        metadata=metadata,
    )


def cite(doc: Document) -> str:
    """``VI123 (name) @ 00:01:12-00:01:20, score 0.81: <text>`` — what a model should quote."""
    m = doc.metadata
    name = f" ({m['video_name']})" if m.get("video_name") else ""
    score = f", score {m['score']:.2f}" if isinstance(m.get("score"), (int, float)) else ""
    text = " ".join(doc.page_content.split())
    when = f"{m['start_timestamp']}-{m['end_timestamp']}"
    return f"{m['video_no']}{name} @ {when}{score}: {text}"


def cite_all(docs: Sequence[Document]) -> str:
    return "\n".join(f"[{i}] {cite(d)}" for i, d in enumerate(docs, 1))


def truncate(text: str, max_chars: int) -> str:
    """Cut ``text`` to ``max_chars`` and say so, so the model knows it saw only part."""
    if max_chars <= 0 or len(text) <= max_chars:
        return text
    cut = text[:max_chars].rstrip()
    omitted = len(text) - len(cut)
    return (
        f"{cut}\n[truncated: {omitted} more characters not shown; "
        "ask for fewer results or a narrower range to see the rest]"
    )

"""Merging visual and audio hits of the same video into one moment (hybrid retrieval)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from langchain_core.documents import Document

from memories_integrations.langchain._documents import document_id, moment_source
from memories_integrations.models import hhmmss

__all__ = ["CHANNELS", "merge_channels"]

#: Search type of each hybrid channel.
CHANNELS = {"visual": "BY_CLIP", "audio": "BY_AUDIO"}


@dataclass
class _Moment:
    video_no: str
    video_name: str | None
    start: float
    end: float
    scores: dict[str, float] = field(default_factory=dict)
    texts: list[tuple[float, str, str]] = field(default_factory=list)  # (start, channel, text)

    def absorb(self, channel: str, doc: Document) -> None:
        m = doc.metadata
        self.start = min(self.start, m["start_time"])
        self.end = max(self.end, m["end_time"])
        score = float(m.get("score") or 0.0)
        self.scores[channel] = max(self.scores.get(channel, 0.0), score)
        if doc.page_content and all(t[2] != doc.page_content for t in self.texts):
            self.texts.append((m["start_time"], channel, doc.page_content))


def merge_channels(
    results: Iterable[tuple[str, Sequence[Document]]], *, padding: float, unique_id: str
) -> list[Document]:
    """Merge documents of several channels whose intervals overlap within the same video
    (a moment starting less than ``padding`` seconds after the previous one ends counts as
    overlapping); best score first.

    Each merged document keeps provenance: ``channels`` (in which channels it was found),
    ``channel_scores`` and the best ``score``.
    """
    by_video: dict[str, list[tuple[str, Document]]] = {}
    # Hits without times merge with nothing; one per video and text (channels repeat them), last.
    untimed: dict[str, Document] = {}
    for channel, docs in results:
        for doc in docs:
            if "start_time" not in doc.metadata:
                untimed.setdefault(f"{doc.metadata['video_no']}\n{doc.page_content}", doc)
                continue
            by_video.setdefault(doc.metadata["video_no"], []).append((channel, doc))

    moments: list[_Moment] = []
    for video_no, items in by_video.items():
        items.sort(key=lambda cd: (cd[1].metadata["start_time"], cd[1].metadata["end_time"]))
        current: _Moment | None = None
        for channel, doc in items:
            m = doc.metadata
            # Overlap, not mere contact: clips [0,2] and [2,4] stay apart unless padded.
            overlaps = current is not None and (
                m["start_time"] < current.end + padding or m["start_time"] == current.start
            )
            if current is None or not overlaps:
                current = _Moment(video_no, m.get("video_name"), m["start_time"], m["end_time"])
                moments.append(current)
            current.absorb(channel, doc)

    docs = [_to_document(m, unique_id) for m in moments]
    # Stable order for equal scores: by video, then time.
    docs.sort(
        key=lambda d: (-d.metadata["score"], d.metadata["video_no"], d.metadata["start_time"])
    )
    return docs + list(untimed.values())


def _to_document(moment: _Moment, unique_id: str) -> Document:
    order = list(CHANNELS)
    channels = sorted(moment.scores, key=order.index)
    texts = sorted(moment.texts, key=lambda t: (t[0], order.index(t[1])))
    multi = len(channels) > 1
    content = "\n".join(f"[{ch}] {text}" if multi else text for _, ch, text in texts)
    return Document(
        id=document_id(unique_id, moment.video_no, moment.start, moment.end, "HYBRID"),
        page_content=content,
        metadata={
            "video_no": moment.video_no,
            "video_name": moment.video_name,
            "start_time": float(moment.start),
            "end_time": float(moment.end),
            "start_timestamp": hhmmss(moment.start),
            "end_timestamp": hhmmss(moment.end),
            "score": max(moment.scores.values()),
            "channels": channels,
            "channel_scores": {ch: moment.scores[ch] for ch in channels},
            "search_type": "HYBRID",
            "unique_id": unique_id,
            "source": moment_source(unique_id, moment.video_no, moment.start, moment.end),
        },
    )

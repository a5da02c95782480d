"""Search results beyond plain text, once for every framework: keyframe images of the best
hits and Anthropic-style ``search_result`` blocks.

The adapters turn these into their own types (LangChain content blocks, LlamaIndex
``ImageBlock`` / ``ImageNode``); here they are plain dicts and ``keyframes.Keyframe``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from memories_integrations._tools.keyframes import Keyframe, KeyframePointer
from memories_integrations.models import SearchHit

if TYPE_CHECKING:
    from memories_integrations._tools.outcome import Outcome, Record

__all__ = [
    "CitationFormat",
    "attach_keyframes",
    "keyframe_metadata",
    "keyframe_pointers",
    "search_result_blocks",
]

CitationFormat = Literal["text", "search_result"]


def keyframe_pointers(
    hits: Sequence[SearchHit], metadata: Sequence[Mapping[str, Any]], n: int
) -> list[KeyframePointer]:
    """Pointers of the first ``n`` hits (``metadata``: the same hits' moment metadata, in the
    same order), labelled like the citations: ``[1] VI... @ 00:00:02``."""
    return [
        KeyframePointer(
            h.keyframe_bucket, h.keyframe_blob, f"[{i}] {m['video_no']} @ {m['start_timestamp']}"
        )
        for i, (h, m) in enumerate(zip(hits[:n], metadata[:n], strict=True), 1)
    ]


def keyframe_metadata(frame: Keyframe) -> dict[str, Any]:
    """What a Document / node records of its keyframe: its type and cached file (a store that
    is not a folder has none), or why there is none."""
    if frame.path is not None:
        return {"keyframe_path": str(frame.path), "keyframe_mime_type": frame.mime_type}
    if frame.ok:
        return {"keyframe_mime_type": frame.mime_type}
    return {"keyframe_note": frame.note}


def attach_keyframes(outcome: Outcome, frames: Sequence[Keyframe]) -> Outcome:
    """Record each image in its moment's metadata, note each missing one in the text (the
    model reads why there is no picture), and keep the images in ``extra["keyframes"]``."""
    notes = []
    for record, frame in zip(outcome.records, frames, strict=False):
        record.metadata.update(keyframe_metadata(frame))
        if not frame.ok:
            notes.append(f"(note: {frame.note}; answer from the text)")
    shown = [f for f in frames if f.ok]
    if shown:
        labels = ", ".join(f.label.split(" ", 1)[0] for f in shown)
        notes.insert(0, f"Keyframe images follow for {labels}.")
    if notes:
        outcome.text = "\n".join([outcome.text, *notes])
    outcome.extra["keyframes"] = shown
    outcome.extra["keyframe_notes"] = notes
    return outcome


def search_result_blocks(records: Sequence[Record]) -> list[dict[str, Any]]:
    """One Anthropic ``search_result`` content block per moment, so Claude cites natively.

    Shape from Anthropic's "Search results" guide
    (https://platform.claude.com/docs/en/build-with-claude/search-results): ``type``,
    ``source``, ``title``, ``content`` (a list of text blocks) and ``citations.enabled``.
    """
    blocks = []
    for r in records:
        m = r.metadata
        name = m.get("video_name") or m["video_no"]
        span = f"{m['start_timestamp']}-{m['end_timestamp']}" if "start_timestamp" in m else ""
        title = f"{name} ({m['video_no']}) {span or 'no time range'}"
        blocks.append(
            {
                "type": "search_result",
                "source": m["source"],
                "title": title,
                "content": [{"type": "text", "text": " ".join(r.text.split()) or "(no text)"}],
                "citations": {"enabled": True},
            }
        )
    return blocks

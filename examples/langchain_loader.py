"""MemoriesTranscriptLoader: transcripts and captions as Documents, text, SRT or VTT.

Run: python examples/langchain_loader.py   (offline unless MEMORIES_API_KEY is set)
"""

from __future__ import annotations

import asyncio

from memories_integrations import MemoriesClient
from memories_integrations.langchain import MemoriesTranscriptLoader
from memories_integrations.testing import live_or_emulator


def main() -> None:
    with live_or_emulator() as conn:
        with MemoriesClient(**conn) as client:
            video_nos = [v.video_no for v in client.list_videos(size=2).videos]

        # Speech and scene captions merged by time, in 4-second windows (good RAG chunks).
        chunks = MemoriesTranscriptLoader(
            video_nos, source="both", mode="chunks", chunk_seconds=4, **conn
        ).load()
        print(f"{len(chunks)} chunks; the first:")
        print(chunks[0].metadata["source"])
        print(chunks[0].page_content + "\n")

        # A subtitle file of the audio track, loaded natively async.
        srt = MemoriesTranscriptLoader(video_nos[0], source="audio", mode="srt", **conn)
        docs = asyncio.run(srt.aload())
        print("SRT:\n" + docs[0].page_content[:300])

        vtt = MemoriesTranscriptLoader(video_nos[0], source="visual", mode="vtt", **conn)
        print("VTT:\n" + next(vtt.lazy_load()).page_content[:200])


if __name__ == "__main__":
    main()

"""MemoriesRetriever and MemoriesHybridRetriever: questions -> timestamped video moments.

Run: python examples/langchain_retriever.py   (offline against the emulator unless
MEMORIES_API_KEY is set)
"""

from __future__ import annotations

import asyncio

from memories_integrations.langchain import MemoriesHybridRetriever, MemoriesRetriever
from memories_integrations.testing import live_or_emulator


def main() -> None:
    with live_or_emulator() as conn:
        retriever = MemoriesRetriever(**conn, k=3)
        print("Visual search (BY_CLIP):")
        for doc in retriever.invoke("someone chopping onions"):
            m = doc.metadata
            print(f"  {m['video_no']} @ {m['start_timestamp']} score={m['score']:.2f}")
            print(f"    {doc.page_content[:90]}")
            print(f"    {m['source']}")

        print("\nWhat is said (per-call override: search_type=BY_AUDIO, k=2):")
        for doc in retriever.invoke("traffic light", search_type="BY_AUDIO", k=2):
            print(f"  {doc.metadata['video_no']} @ {doc.metadata['start_timestamp']}:")
            print(f"    {doc.page_content}")

        hybrid = MemoriesHybridRetriever(**conn, k=3)
        print("\nHybrid (visual + audio, merged), async:")
        for doc in asyncio.run(hybrid.ainvoke("chop the onion")):
            m = doc.metadata
            print(f"  {m['video_no']} {m['start_timestamp']}-{m['end_timestamp']} {m['channels']}")
            print(f"    scores: {m['channel_scores']}")


if __name__ == "__main__":
    main()

"""memories.ai search as a LlamaIndex retriever, alone and in a RetrieverQueryEngine.

Runs offline: without MEMORIES_API_KEY it starts the local emulator with the sample videos.
"""

from __future__ import annotations

import asyncio
import os

from llama_index.core.llms import MockLLM
from llama_index.core.query_engine import RetrieverQueryEngine

from memories_integrations.llama_index import MemoriesRetriever


def run(retriever: MemoriesRetriever) -> None:
    for hit in retriever.retrieve("a goal is scored"):
        m = hit.node.metadata
        print(
            f"{hit.score:.2f} {m['video_name']} @ {m['start_timestamp']}: {hit.node.get_content()}"
        )

    engine = RetrieverQueryEngine.from_args(retriever, llm=MockLLM(max_tokens=16))
    response = asyncio.run(engine.aquery("What happens in the kitchen?"))  # native async path
    print([n.node.metadata["source"] for n in response.source_nodes])


def main() -> None:
    if os.environ.get("MEMORIES_API_KEY"):
        run(MemoriesRetriever(k=3))  # key from the environment
        return
    from memories_integrations import MemoriesClient
    from memories_integrations.testing import EmulatorServer, sample_videos

    os.environ["MEMORIES_RATE_LIMITER"] = "off"  # a local emulator has no quotas to respect
    with EmulatorServer(encoding_delay=0.05, rate_limits=False) as emu:
        with MemoriesClient(api_key=emu.api_key, base_url=emu.base_url) as client:
            if not client.list_videos().videos:
                for path in sample_videos():
                    client.upload(path)
                emu.complete_all()
        run(MemoriesRetriever(k=3, api_key=emu.api_key, base_url=emu.base_url))


if __name__ == "__main__":
    main()

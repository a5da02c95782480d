"""memories.ai videos -> LlamaIndex documents -> VectorStoreIndex -> query.

Runs offline: without MEMORIES_API_KEY it starts the local emulator and indexes its bundled
sample videos. MockEmbedding/MockLLM stand in for real models (swap in yours).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from llama_index.core import VectorStoreIndex
from llama_index.core.embeddings import MockEmbedding
from llama_index.core.llms import MockLLM

from memories_integrations import MemoriesClient, VideoStatus
from memories_integrations.llama_index import MemoriesVideoReader


@contextlib.contextmanager
def memories_client() -> Iterator[MemoriesClient]:
    """The live API when MEMORIES_API_KEY is set, else a local emulator with sample videos."""
    if os.environ.get("MEMORIES_API_KEY"):
        with MemoriesClient() as client:
            yield client
        return
    from memories_integrations.testing import EmulatorServer, sample_videos

    os.environ["MEMORIES_RATE_LIMITER"] = "off"  # a local emulator has no quotas to respect
    with (
        EmulatorServer(encoding_delay=0.05, rate_limits=False) as emu,
        MemoriesClient(api_key=emu.api_key, base_url=emu.base_url) as client,
    ):
        if not any(v.status is VideoStatus.PARSE for v in client.iter_videos()):
            for path in sample_videos():
                client.upload(path)
            emu.complete_all()
        yield client


def main() -> None:
    with memories_client() as client:
        # One document per 4 s of each video: captions and speech merged in time order.
        reader = MemoriesVideoReader(client=client, granularity="window", window_seconds=4)
        documents = reader.load_data()
        print(f"loaded {len(documents)} documents")
        print(documents[0].metadata)

        index = VectorStoreIndex.from_documents(documents, embed_model=MockEmbedding(embed_dim=8))
        engine = index.as_query_engine(llm=MockLLM(max_tokens=16), similarity_top_k=2)
        response = engine.query("When is a goal scored?")
        for hit in response.source_nodes:
            m = hit.node.metadata
            print(f"{m['video_name']} {m['start_timestamp']}-{m['end_timestamp']} {m['source']}")


if __name__ == "__main__":
    main()

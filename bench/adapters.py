"""Row 2: adapter overhead, LangChain ``retriever.invoke`` / LlamaIndex ``retriever.retrieve``
vs ``client.search`` with the same query and top_k, on the same client.

The package's retrievers are found by type (any ``BaseRetriever`` subclass exported by
``memories_integrations.langchain`` / ``.llama_index``). While an adapter is missing or cannot be
built from a client, a minimal reference retriever defined here is measured instead and the row
says so: it is the floor the framework itself imposes (callbacks, instrumentation, documents).
"""

from __future__ import annotations

import importlib
import inspect
import sys
from collections.abc import Callable
from typing import Any

from _common import (
    QUERY,
    Emulator,
    Row,
    cpu_per_call,
    emulator,
    interleaved,
    median,
    median_ratio,
    seed_corpus,
)

from memories_integrations import MemoriesClient

TARGET = 1.05
TOP_K = 5


def _package_retriever(module: str, base: type, client: MemoriesClient) -> Any | None:
    """The package's plain retriever (``MemoriesRetriever`` first: hybrid ones make several
    searches per query, so they are not the per-call overhead this row is about)."""
    try:
        mod = importlib.import_module(module)
    except ImportError:
        return None
    classes = [
        cls
        for _, cls in inspect.getmembers(mod, inspect.isclass)
        if issubclass(cls, base) and cls is not base and "Hybrid" not in cls.__name__
    ]
    classes.sort(key=lambda cls: cls.__name__ != "MemoriesRetriever")
    for cls in classes:
        for kwargs in ({"client": client, "k": TOP_K}, {"client": client, "top_k": TOP_K}):
            try:
                return cls(**kwargs)
            except Exception:
                continue
    return None


def langchain_retriever(client: MemoriesClient) -> tuple[Any, str]:
    from langchain_core.retrievers import BaseRetriever

    found = _package_retriever("memories_integrations.langchain", BaseRetriever, client)
    if found is not None:
        return found, type(found).__name__
    return langchain_reference(client), "reference retriever (package adapter missing)"


def langchain_reference(client: MemoriesClient) -> Any:
    """The least a LangChain retriever can do: the framework's own floor (callbacks, runs)."""
    from langchain_core.callbacks import CallbackManagerForRetrieverRun
    from langchain_core.documents import Document
    from langchain_core.retrievers import BaseRetriever

    class ReferenceRetriever(BaseRetriever):
        client: Any

        def _get_relevant_documents(
            self, query: str, *, run_manager: CallbackManagerForRetrieverRun
        ) -> list[Document]:
            hits = self.client.search(query, top_k=TOP_K)
            return [Document(page_content=h.text, metadata={"video_no": h.video_no}) for h in hits]

    return ReferenceRetriever(client=client)


def llama_index_retriever(client: MemoriesClient) -> tuple[Any, str]:
    from llama_index.core.retrievers import BaseRetriever

    found = _package_retriever("memories_integrations.llama_index", BaseRetriever, client)
    if found is not None:
        return found, type(found).__name__
    return llama_index_reference(client), "reference retriever (package adapter missing)"


def llama_index_reference(client: MemoriesClient) -> Any:
    """The least a LlamaIndex retriever can do: the framework's own floor (instrumentation)."""
    from llama_index.core.retrievers import BaseRetriever
    from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

    class ReferenceRetriever(BaseRetriever):
        def __init__(self, client: MemoriesClient) -> None:
            super().__init__()
            self._client = client

        def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
            hits = self._client.search(query_bundle.query_str, top_k=TOP_K)
            return [
                NodeWithScore(
                    node=TextNode(text=h.text, metadata={"video_no": h.video_no}), score=h.score
                )
                for h in hits
            ]

    return ReferenceRetriever(client)


def run(emu: Emulator, *, quick: bool) -> list[Row]:
    rounds, n = (4, 8) if quick else (11, 60)
    seed_corpus(emu.base_url, emu.api_key)
    rows = []
    with MemoriesClient(api_key=emu.api_key, base_url=emu.base_url) as client:

        def search() -> object:
            return client.search(QUERY, top_k=TOP_K)

        makers: list[tuple[str, str, Maker, Callable[[MemoriesClient], Any], str]] = [
            (
                "adapter_langchain",
                "LangChain retriever.invoke",
                langchain_retriever,
                langchain_reference,
                "invoke",
            ),
            (
                "adapter_llama_index",
                "LlamaIndex retriever.retrieve",
                llama_index_retriever,
                llama_index_reference,
                "retrieve",
            ),
        ]
        for key, name, make, make_reference, method in makers:
            retriever, which = make(client)
            via_adapter = _caller(getattr(retriever, method))
            via_floor = _caller(getattr(make_reference(client), method))
            assert len(via_adapter()) == len(client.search(QUERY, top_k=TOP_K)) > 0
            a, b = interleaved(via_adapter, search, rounds=rounds, n=n)
            ratio = median_ratio(a, b)
            rows.append(
                Row(
                    key,
                    f"{name} vs client.search",
                    f"<= {TARGET:.2f}x",
                    ratio,
                    "x",
                    ratio <= TARGET,
                    f"{which}; {median(a) * 1e3:.2f} ms vs {median(b) * 1e3:.2f} ms per call",
                    {"adapter_ms": median(a) * 1e3, "search_ms": median(b) * 1e3},
                )
            )
            # An adapter only adds client CPU; the server's time is the same search either way.
            # Client CPU per call is steady where wall-clock rounds jitter by ~1 ms on a small
            # VM, so this estimate of the ratio is the stable one: (search + added CPU) / search.
            added = cpu_per_call(via_adapter, rounds=rounds, n=n) - cpu_per_call(
                search, rounds=rounds, n=n
            )
            estimate = (median(b) + added) / median(b)
            rows.append(
                Row(
                    f"{key}_cpu",
                    f"{name} vs client.search, from client CPU added per call",
                    f"<= {TARGET:.2f}x",
                    estimate,
                    "x",
                    estimate <= TARGET,
                    f"+{added * 1e3:.2f} ms client CPU per call, search {median(b) * 1e3:.2f} ms",
                    {"added_cpu_ms": added * 1e3, "search_ms": median(b) * 1e3},
                )
            )
            # The same call through the smallest possible retriever of that framework: what
            # the framework itself costs, which no adapter can go below.
            c, d = interleaved(via_adapter, via_floor, rounds=rounds, n=n)
            own = median_ratio(c, d)
            rows.append(
                Row(
                    f"{key}_own",
                    f"{name} vs a minimal retriever of the framework",
                    f"<= {TARGET:.2f}x",
                    own,
                    "x",
                    own <= TARGET,
                    f"adapter's own cost: {median(c) * 1e3:.2f} ms vs {median(d) * 1e3:.2f} ms",
                    {"adapter_ms": median(c) * 1e3, "floor_ms": median(d) * 1e3},
                )
            )
    return rows


Maker = Callable[[MemoriesClient], tuple[Any, str]]


def _caller(method: Callable[[str], list[Any]]) -> Callable[[], list[Any]]:
    def call() -> list[Any]:
        return method(QUERY)

    return call


if __name__ == "__main__":
    with emulator() as server:
        for row in run(server, quick="--quick" in sys.argv):
            print(row)

"""langchain-tests' standard retriever suite for both retrievers, replayed from cassettes."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_tests.integration_tests import RetrieversIntegrationTests

from memories_integrations.langchain import MemoriesHybridRetriever, MemoriesRetriever

# Matches >= 3 moments in the sample library on both channels (the suite demands exactly k=3).
QUERY = "chop the onion and the garlic for the tomato pasta"


class _Connected:
    """Points the suite's retrievers at the recording target (or replay defaults)."""

    _connection: dict[str, Any]

    @pytest.fixture(autouse=True)
    def _connect(self, connection: dict[str, Any], sample_library: dict[str, str]) -> None:
        self._connection = connection


@pytest.mark.vcr
class TestMemoriesRetrieverStandard(_Connected, RetrieversIntegrationTests):
    @property
    def retriever_constructor(self) -> type[MemoriesRetriever]:
        return MemoriesRetriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return {**self._connection, "k": 4}

    @property
    def retriever_query_example(self) -> str:
        return QUERY


@pytest.mark.vcr
class TestMemoriesHybridRetrieverStandard(_Connected, RetrieversIntegrationTests):
    @property
    def retriever_constructor(self) -> type[MemoriesHybridRetriever]:
        return MemoriesHybridRetriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return {**self._connection, "k": 4}

    @property
    def retriever_query_example(self) -> str:
        return QUERY

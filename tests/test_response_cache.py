"""ResponseCache through the client, against the live emulator."""

from __future__ import annotations

from memories_integrations import MemoriesClient
from memories_integrations._client.cache import ResponseCache
from memories_integrations.testing import EmulatorServer

COOKING = "VI700000000000000001"


def test_transcripts_are_kept_and_search_only_with_a_ttl() -> None:
    with EmulatorServer(preload_samples=True, encoding_delay=0.05, rate_limits=False) as emu:
        client = MemoriesClient(api_key=emu.api_key, base_url=emu.base_url)
        client.cache = ResponseCache()
        first = client.get_audio_transcription(COOKING)
        before = len(emu.requests())
        assert client.get_audio_transcription(COOKING) == first
        assert len(emu.requests()) == before  # served from the cache
        client.search("onion")
        client.search("onion")
        assert len(emu.requests()) == before + 2  # no search_ttl: not kept
        client.cache = ResponseCache(search_ttl=60)
        client.search("onion")
        client.search("onion")
        assert len(emu.requests()) == before + 3
        client.cache.invalidate("default")
        client.search("onion")
        assert len(emu.requests()) == before + 4

"""Personal-media and Video Marketer chat through both clients (cassettes of the emulator)."""

from __future__ import annotations

import pytest

from memories_integrations.models import ChatResponse, ContentEvent

from .conftest import Api

pytestmark = pytest.mark.vcr


async def test_chat_personal_json_and_stream(api: Api) -> None:
    whole = await api.chat_personal("Who chops onions?")
    assert isinstance(whole, ChatResponse)
    assert whole.role == "ASSISTANT" and "onion" in whole.content.lower()
    assert whole.session_id and whole.thinkings
    events = await api.chat_personal_stream("Who chops onions?")
    assert events and all(isinstance(e, ContentEvent) for e in events)
    assert "".join(e.content for e in events) == whole.content


async def test_marketer_chat_json_and_stream(api: Api) -> None:
    whole = await api.marketer_chat("street food")
    assert whole.content and whole.references
    assert all(r.video.video_no.startswith("PI-") for r in whole.references)
    events = await api.marketer_chat_stream("street food")
    kinds = [e.type for e in events]
    assert kinds[0] == "thinking" and "ref" in kinds and kinds[-1] == "content"

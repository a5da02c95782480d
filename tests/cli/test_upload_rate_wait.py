"""``memories upload URL1 URL2 --wait`` waits its turn for the upload limit instead of failing
the second URL "past this call's deadline" (issue 22 #2): the client's timeout bounds each
request from when it is sent, the wait for a rate-limit slot comes before it. And an emulator
started without limits is not paced by the client that uses the environment it prints."""

from __future__ import annotations

import functools
import os
import time

import pytest

from memories_integrations import MemoriesClient
from memories_integrations._transport.retry import Rate
from memories_integrations.cli import _commands, main
from memories_integrations.testing import EmulatorServer, sample_videos

from .test_emulator_command import emulator

UPLOAD = "/serve/api/v1/upload_url"

# The waits are about the upload limit, not the first status check after 1 s.
pytestmark = pytest.mark.usefixtures("quick_upload_wait")


def test_two_url_uploads_with_wait_both_succeed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The emulator enforces 1 upload per second (the documented 1 per minute, shortened); the
    # client paces at the same rate with a request timeout shorter than the wait for a slot,
    # as the documented 1/min against the default 60 s timeout.
    monkeypatch.delenv("MEMORIES_RATE_LIMITER", raising=False)
    client = functools.partial(MemoriesClient, rate_limits={"upload": Rate(1, 1.0)}, timeout=0.8)
    monkeypatch.setattr(_commands, "MemoriesClient", client)
    with EmulatorServer(encoding_delay=0.1, rate_limit_table={"upload": (1, 1.0)}) as emu:
        conn = ["--base-url", emu.base_url, "--api-key", emu.api_key]
        urls = ["https://example.com/kitchen.mp4", "https://example.com/garden.mp4"]
        code = main(["upload", *urls, "--wait", "--json", *conn])
        out = capsys.readouterr()
        sent = emu.requests(UPLOAD)
    assert code == 0, out.out + out.err
    assert "deadline" not in out.out + out.err
    assert len(sent) == 2 and abs(sent[1].time - sent[0].time) >= 1.0
    assert '"PARSE"' in out.out and out.out.count('"ok": true') == 2, out.out


def test_rate_limit_wait_zero_fails_fast_with_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("MEMORIES_RATE_LIMITER", raising=False)
    client = functools.partial(MemoriesClient, rate_limits={"upload": Rate(1, 30.0)})
    monkeypatch.setattr(_commands, "MemoriesClient", client)
    files = [str(p) for p in sample_videos()[:2]]
    with EmulatorServer(encoding_delay=0.1, rate_limits=False) as emu:
        conn = ["--base-url", emu.base_url, "--api-key", emu.api_key]
        started = time.monotonic()
        code = main(["upload", *files, "-j", "1", "--rate-limit-wait", "0", "--json", *conn])
        # The second upload's slot is 33 s away: refused at once, naming the group and the wait.
        assert time.monotonic() - started < 10
        assert len(emu.requests("/serve/api/v1/upload")) == 1
    out = capsys.readouterr()
    assert code != 0
    assert "upload rate limit allows the next request in 3" in out.out, out.out


def test_an_emulator_without_limits_is_not_paced_by_the_client(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Three uploads paced at the documented 1 per minute would take two minutes."""
    files = [str(p) for p in sample_videos()[:3]]
    with emulator("--no-rate-limits", "--encoding-delay", "0.1") as exports:
        # The CLI in-process with exactly the printed MEMORIES_* environment.
        for name in [n for n in os.environ if n.startswith("MEMORIES_")]:
            monkeypatch.delenv(name)
        for name, value in exports.items():
            monkeypatch.setenv(name, value)
        started = time.monotonic()
        code = main(["upload", *files, "--wait"])
        out = capsys.readouterr()
    assert code == 0, out.err
    assert time.monotonic() - started < 30
    assert "waiting for the upload limit" not in out.out + out.err

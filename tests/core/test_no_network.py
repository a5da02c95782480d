"""The offline suite cannot reach the network: sockets are guarded and cassettes are final."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import vcr
from pytest_socket import SocketConnectBlockedError
from vcr.errors import CannotOverwriteExistingCassetteException

from memories_integrations import MemoriesClient, errors
from memories_integrations.testing import cassettes


@pytest.mark.filterwarnings("ignore:A test tried to use socket:UserWarning")
def test_non_loopback_sockets_are_blocked(record_target: str) -> None:
    if record_target != "replay":
        pytest.skip("recording may open sockets on purpose")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        # 192.0.2.0/24 is TEST-NET-1; the guard raises before any packet is sent.
        with pytest.raises(SocketConnectBlockedError):
            sock.connect(("192.0.2.1", 443))
    finally:
        sock.close()


def test_unrecorded_request_fails_without_network(tmp_path: Path, record_target: str) -> None:
    if record_target != "replay":
        pytest.skip("replay-only check")
    recorder = vcr.VCR()
    cassettes.register_matchers(recorder)
    config = cassettes.vcr_config("replay")
    cassette = tmp_path / "empty.yaml"
    cassette.write_text("interactions: []\nversion: 1\n")
    with (
        recorder.use_cassette(str(cassette), record_mode="none", **config),
        MemoriesClient(api_key="k") as client,
    ):
        with pytest.raises(
            (CannotOverwriteExistingCassetteException, errors.APIConnectionError)
        ) as info:
            client.search("anything at all")
    # Whatever the wrapping, the root cause is vcrpy refusing, not a network attempt.
    cause: BaseException | None = info.value
    while cause is not None and not isinstance(cause, CannotOverwriteExistingCassetteException):
        cause = cause.__cause__ or cause.__context__
    assert cause is not None

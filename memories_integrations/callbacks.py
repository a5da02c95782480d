"""Receiving memories.ai encoding callbacks.

The API POSTs a small JSON document to the ``callback`` URL of an upload when encoding ends
(reference section 3): ``{"videoNo", "clientId"?, "status"}`` for uploads, ``{"taskId",
"status": "SUCCEEDED"}`` and ``{"videoId", "taskId", "status": "INDEXING_SUCCEEDED"}`` for
platform imports. No signature is documented and delivery is at-least-once, so:

* every callback URL carries an unguessable per-upload token (``?token=...``): an HMAC of a
  random nonce under the receiver's secret, checked with ``hmac.compare_digest``. Tokens are
  stateless, so any worker sharing the secret can verify them, and no registry grows;
* repeated deliveries of the same (id, status) are reported once;
* waiters (``wait_for_ready(..., via=receiver)``) are woken from any thread or event loop.

``CallbackReceiver`` is framework-agnostic; :func:`callback_app` wraps it as a plain ASGI app
(``Route(path, app)`` in FastAPI/Starlette), and ``CallbackServer`` serves that app on loopback.
"""

from __future__ import annotations

from ._callback_receiver import (
    TOKEN_PARAM,
    CallbackEvent,
    CallbackReceiver,
    Subscription,
    parse_payload,
)
from ._callback_server import CallbackApp, CallbackServer, callback_app
from .errors import CallbackError, ForgedCallbackError, InvalidCallbackError

__all__ = [
    "TOKEN_PARAM",
    "CallbackApp",
    "CallbackError",
    "CallbackEvent",
    "CallbackReceiver",
    "CallbackServer",
    "ForgedCallbackError",
    "InvalidCallbackError",
    "Subscription",
    "callback_app",
    "parse_payload",
]

"""Receiving memories.ai encoding callbacks.

The API POSTs a small JSON document to the ``callback`` URL of an upload when encoding ends
(reference section 3): ``{"videoNo", "clientId"?, "status"}`` for uploads, ``{"taskId",
"status": "SUCCEEDED"}`` and ``{"videoId", "taskId", "status": "INDEXING_SUCCEEDED"}`` for
platform imports. No signature is documented and delivery is at-least-once, so:

* every callback URL carries an unguessable per-upload token (``?token=...``): an HMAC of a
  random nonce and an expiry under the receiver's secret, checked with ``hmac.compare_digest``,
  so any worker sharing the secret can verify it. A token expires (``token_ttl``, 24 h) and is
  bound to its upload (or import task): to the video the upload returned, else to the first
  one it delivers (a bounded map);
* repeated deliveries of the same (id, normalised status) are reported once, a status change
  after a final status is refused, and only ids and statuses are remembered (bounded, LRU);
* waiters (``wait_for_ready(..., via=receiver)``) are woken from any thread or event loop.

``CallbackReceiver`` is framework-agnostic; :func:`callback_app` wraps it as a plain ASGI app
(``Route(path, app)`` in FastAPI/Starlette), and ``CallbackServer`` serves that app on loopback.
"""

from __future__ import annotations

from memories_integrations._lifecycle.receiver import (
    TOKEN_PARAM,
    CallbackEvent,
    CallbackReceiver,
    Subscription,
    parse_payload,
)
from memories_integrations._lifecycle.server import CallbackApp, CallbackServer, callback_app
from memories_integrations.errors import CallbackError, ForgedCallbackError, InvalidCallbackError

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

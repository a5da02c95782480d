"""``MEMORIES_LOG=debug|info`` turns on the package's logging, as ``OPENAI_LOG`` does for openai.

Without it the package only emits records (to the "memories_integrations" logger, through no
handler of its own): applications configure logging as they like. With it, a stderr handler is
added once, at the first client created. Records never contain a key or token: log lines are
built from endpoint paths, statuses and error class names only.
"""

from __future__ import annotations

import logging
import os
import threading

LOGGER_NAME = "memories_integrations"
ENV_VAR = "MEMORIES_LOG"
LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
# openai-python's format: when, which logger and line, then the message.
FORMAT = "[%(asctime)s - %(name)s:%(lineno)d - %(levelname)s] %(message)s"

logger = logging.getLogger(LOGGER_NAME)
_lock = threading.Lock()
_handler: logging.Handler | None = None


def setup_logging() -> logging.Handler | None:
    """Add the stderr handler if ``MEMORIES_LOG`` asks for one; cheap and idempotent.

    Returns the handler (None when logging is not turned on). An unknown value is ignored, as
    openai ignores one, rather than failing a client construction over a log setting.
    """
    global _handler
    level = LEVELS.get(os.environ.get(ENV_VAR, "").strip().lower())
    if level is None or _handler is not None:
        return _handler
    with _lock:
        if _handler is None:
            handler = logging.StreamHandler()
            handler.setFormatter(logging.Formatter(FORMAT))
            logger.addHandler(handler)
            logger.setLevel(level)
            _handler = handler
    return _handler


def reset_logging() -> None:
    """Remove the handler ``setup_logging`` added (tests; a process changing ``MEMORIES_LOG``)."""
    global _handler
    with _lock:
        if _handler is not None:
            logger.removeHandler(_handler)
            logger.setLevel(logging.NOTSET)
            _handler = None

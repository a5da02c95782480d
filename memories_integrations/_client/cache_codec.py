"""Cached answers as JSON bytes: a model's dump plus the name of its class, never pickle.

Decoding only ever builds classes exported by ``memories_integrations.models`` (looked up by
name, checked to be a pydantic model) and validates the dump with them, so a tampered store can
at worst produce a validation error (read as a miss), never run code.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

__all__ = ["decode", "encode"]


def _model_class(name: str) -> type[BaseModel]:
    from memories_integrations import models

    cls = getattr(models, name, None) if name in models.__all__ else None
    if not (isinstance(cls, type) and issubclass(cls, BaseModel)):
        raise ValueError(f"not a cacheable model: {name!r}")
    return cls


def _dump(value: Any) -> dict[str, Any]:
    if not isinstance(value, BaseModel):
        raise TypeError(f"not a model: {type(value).__name__}")
    name = type(value).__name__
    if _model_class(name) is not type(value):  # e.g. a parametrised generic
        raise TypeError(f"not an exported model: {name}")
    return {"model": name, "data": value.model_dump(mode="json")}


def encode(value: Any) -> bytes:
    """``value`` (a model, or an ``ItemList`` of models) as JSON; TypeError if not cacheable."""
    from memories_integrations.models._base import ItemList

    if isinstance(value, ItemList):
        body: dict[str, Any] = {"items": [_dump(v) for v in value], "skipped": value.skipped}
    else:
        body = _dump(value)
    return json.dumps(body, separators=(",", ":")).encode()


def _load(body: Any) -> BaseModel:
    return _model_class(body["model"]).model_validate(body["data"])


def decode(raw: bytes) -> Any:
    """The value ``encode`` wrote (ValueError and pydantic's errors when it is not one)."""
    from memories_integrations.models._base import ItemList

    body = json.loads(raw)
    if "items" in body:
        items: ItemList[Any] = ItemList(_load(v) for v in body["items"])
        items.skipped = int(body.get("skipped", 0))
        return items
    return _load(body)

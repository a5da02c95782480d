"""One retrieval configuration to evaluate: which public retriever, search type, k, threshold."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any

from memories_integrations.errors import InvalidInputError

__all__ = ["DEFAULT_CONFIGS", "RetrievalConfig", "parse_config"]

SEARCH_TYPES = {
    "clip": "BY_CLIP",
    "visual": "BY_CLIP",
    "audio": "BY_AUDIO",
    "caption": "BY_CAPTION",
    "video": "BY_VIDEO",
    "hybrid": "HYBRID",
}
FRAMEWORKS = ("langchain", "llama_index")


@dataclass(frozen=True)
class RetrievalConfig:
    """``search_type`` is an API search type (BY_CLIP, BY_AUDIO, BY_CAPTION, BY_VIDEO) or
    HYBRID (LangChain's ``MemoriesHybridRetriever``: visual and audio fused)."""

    search_type: str = "BY_CLIP"
    k: int = 10
    score_threshold: float | None = None
    framework: str = "langchain"
    padding: float = 0.0
    name: str = ""

    def __post_init__(self) -> None:
        st = SEARCH_TYPES.get(self.search_type.lower(), self.search_type.upper())
        if st not in set(SEARCH_TYPES.values()):
            raise InvalidInputError(
                f"unknown search type {self.search_type!r}; use one of "
                f"{', '.join(sorted(SEARCH_TYPES))} (or BY_CLIP, BY_AUDIO, ...)",
                param="search",
            )
        object.__setattr__(self, "search_type", st)
        if isinstance(self.k, bool) or not isinstance(self.k, int) or not 1 <= self.k <= 1000:
            raise InvalidInputError(f"k must be an integer from 1 to 1000; got {self.k!r}")
        t = self.score_threshold
        if t is not None and not 0 <= t <= 1:
            raise InvalidInputError(f"score threshold must be from 0 to 1; got {t!r}")
        if self.framework not in FRAMEWORKS:
            raise InvalidInputError(
                f"framework must be langchain or llama_index; got {self.framework!r}"
            )
        if st == "HYBRID" and self.framework != "langchain":
            raise InvalidInputError("the hybrid retriever is LangChain's (framework=langchain)")

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        kind = "hybrid" if self.search_type == "HYBRID" else self.search_type[3:].lower()
        parts = [kind, f"k={self.k}"]
        if self.score_threshold is not None:
            parts.append(f"thr={self.score_threshold:g}")
        if self.padding:
            parts.append(f"pad={self.padding:g}")
        if self.framework != "langchain":
            parts.append(self.framework)
        return " ".join(parts)

    @property
    def key(self) -> str:
        """Stable id of what the retriever does (the name is only a label)."""
        fields = {k: v for k, v in asdict(self).items() if k != "name"}
        blob = json.dumps(fields, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "label": self.label}


_KEYS = {
    "search": "search_type",
    "search_type": "search_type",
    "k": "k",
    "threshold": "score_threshold",
    "score_threshold": "score_threshold",
    "framework": "framework",
    "padding": "padding",
    "name": "name",
}


def parse_config(spec: str) -> RetrievalConfig:
    """``"search=hybrid,k=10,threshold=0.3,name=fused"`` (or just ``"audio"``) -> config."""
    values: dict[str, Any] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        key, sep, value = part.partition("=")
        if not sep:
            key, value = "search", part
        field = _KEYS.get(key.strip().lower())
        if field is None:
            raise InvalidInputError(
                f"unknown config key {key!r} in {spec!r}; use {', '.join(sorted(set(_KEYS)))}",
                param="config",
            )
        values[field] = value.strip()
    try:
        if "k" in values:
            values["k"] = int(values["k"])
        if "score_threshold" in values:
            values["score_threshold"] = float(values["score_threshold"])
        if "padding" in values:
            values["padding"] = float(values["padding"])
    except ValueError as exc:
        raise InvalidInputError(f"bad number in config {spec!r}: {exc}", param="config") from None
    return RetrievalConfig(**values)


DEFAULT_CONFIGS = (
    RetrievalConfig("BY_CLIP"),
    RetrievalConfig("BY_AUDIO"),
    RetrievalConfig("HYBRID"),
    RetrievalConfig("BY_CLIP", score_threshold=0.5),
)

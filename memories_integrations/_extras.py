"""Optional parts of the package and the extra that installs each: an import of a part whose
extra is missing fails with an ImportError that says what to install."""

from __future__ import annotations

import importlib.util

#: extra -> the top-level modules it installs (the ones the optional part imports).
EXTRAS: dict[str, tuple[str, ...]] = {
    "langchain": ("langchain_core",),
    "llama-index": ("llama_index.core",),
    "mcp": ("mcp",),
    "emulator": ("starlette", "uvicorn"),
    "cli": ("rich",),
    "redis": ("redis",),
}


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a missing parent package, or a None in sys.modules
        return False


def missing(extra: str) -> str | None:
    """The first module of ``extra`` that is not installed, or None."""
    return next((m for m in EXTRAS[extra] if not _installed(m)), None)


def install_hint(extra: str) -> str:
    return (
        f'pip install -e ".[{extra}]" in a checkout of memories-integrations '
        f"(pip install 'memories-integrations[{extra}]' once it is published)"
    )


def require(extra: str, part: str) -> None:
    """Raise an ImportError naming ``extra`` if one of its modules is missing."""
    module = missing(extra)
    if module is not None:
        raise ImportError(
            f"{part} needs the {extra!r} extra ({module} is not installed): " + install_hint(extra),
            name=module,
        )

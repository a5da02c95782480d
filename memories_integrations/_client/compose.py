"""How a client is put together: it holds one transport and one resource object per API area.

The client's public methods are one-line forwards, ``search = forward(AsyncSearchMethods.search)``:
each looks up the client's resource of that area and returns its bound method, so type checkers
and IDEs see the area method's own signature and docstring, written once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, Protocol, TypeVar, overload

from memories_integrations._transport.raw import RawResponse, raw_response, recording

if TYPE_CHECKING:
    import httpx
    from typing_extensions import Self

    from memories_integrations._transport.base import BaseClient
    from memories_integrations._transport.limits import Limits
    from memories_integrations._transport.retry import RateLimiter, RetryPolicy

P = ParamSpec("P")
R = TypeVar("R")


class HasResources(Protocol):
    _resources: dict[type, Any]


class Composed(HasResources, Protocol):
    _transport: Any

    def _copy_around(self: C, copy_transport: Callable[[Any], Any]) -> C: ...


C = TypeVar("C", bound=Composed)


class forward(Generic[P, R]):
    """A client attribute that is its area resource's method (see the module docstring)."""

    def __init__(self, method: Callable[Concatenate[Any, P], R]) -> None:
        self.name = method.__name__
        # The area class defining the method: resources are module-level classes.
        self.area: type = method.__globals__[method.__qualname__.split(".")[0]]
        self.__doc__ = method.__doc__

    @overload
    def __get__(self, client: None, owner: type) -> Self: ...
    @overload
    def __get__(self, client: HasResources, owner: type) -> Callable[P, R]: ...
    def __get__(self, client: HasResources | None, owner: type) -> Self | Callable[P, R]:
        if client is None:
            return self
        method: Callable[P, R] = getattr(client._resources[self.area], self.name)
        return method


class AsyncRawForward(forward[P, "Awaitable[R]"]):
    """A ``with_raw_response`` attribute: the area method, returning its ``RawResponse``."""

    def __get__(  # type: ignore[override]
        self, view: HasResources, owner: type
    ) -> Callable[P, Awaitable[RawResponse[R]]]:
        method = super().__get__(view, owner)

        async def raw(*args: P.args, **kwargs: P.kwargs) -> RawResponse[R]:
            with recording() as recorded:
                result = await method(*args, **kwargs)
            return raw_response(recorded, result, self.name)

        raw.__doc__ = self.__doc__
        return raw


class RawForward(forward[P, R]):
    """A ``with_raw_response`` attribute: the area method, returning its ``RawResponse``."""

    def __get__(  # type: ignore[override]
        self, view: HasResources, owner: type
    ) -> Callable[P, RawResponse[R]]:
        method = super().__get__(view, owner)

        def raw(*args: P.args, **kwargs: P.kwargs) -> RawResponse[R]:
            with recording() as recorded:
                result = method(*args, **kwargs)
            return raw_response(recorded, result, self.name)

        raw.__doc__ = self.__doc__
        return raw


def typed_as(area: type[R]) -> R:
    """For type checkers only: ``typed_as(Area).method`` is the bound method's own type, for
    forwarding an overloaded method (a ParamSpec cannot carry overloads)."""
    raise NotImplementedError("only for annotations")


class copy_with(Generic[P]):
    """``with_options``: a copy of the client around the transport's copy (same pool)."""

    def __init__(self, method: Callable[Concatenate[Any, P], Any]) -> None:
        self.method = method
        self.__doc__ = method.__doc__

    def __get__(self, client: C, owner: type) -> Callable[P, C]:
        def with_options(*args: P.args, **kwargs: P.kwargs) -> C:
            return client._copy_around(lambda transport: self.method(transport, *args, **kwargs))

        with_options.__doc__ = self.__doc__
        return with_options


class ClientSettings:
    """The settings a client was made with, read from its transport (both flavours)."""

    _transport: BaseClient

    @property
    def base_url(self) -> str:
        return self._transport.base_url

    @property
    def auth_base_url(self) -> str:
        return self._transport.auth_base_url

    @property
    def unique_id(self) -> str:
        """The namespace calls use unless given ``unique_id=``."""
        return self._transport.unique_id

    @property
    def timeout(self) -> httpx.Timeout:
        return self._transport.timeout

    @property
    def retry(self) -> RetryPolicy:
        return self._transport.retry

    @property
    def rate_limiter(self) -> RateLimiter | None:
        return self._transport.rate_limiter

    @property
    def rate_limit_wait(self) -> float | None:
        """Seconds a call may wait for its rate-limit slot (None: as long as needed)."""
        return self._transport.rate_limit_wait

    @property
    def english_only(self) -> bool:
        return self._transport.english_only

    @property
    def limits(self) -> Limits:
        return self._transport.limits

    @property
    def stream_timeout(self) -> float | None:
        return self._transport.stream_timeout

    @property
    def stream_idle_timeout(self) -> float | None:
        return self._transport.stream_idle_timeout

    def _twin_settings(self) -> dict[str, Any]:
        """Constructor arguments of a client with the same credentials and settings."""
        return self._transport._twin_settings()

    def __repr__(self) -> str:
        # Never the key: only where the client talks to and in which namespace.
        return f"{type(self).__name__}(base_url={self.base_url!r}, unique_id={self.unique_id!r})"

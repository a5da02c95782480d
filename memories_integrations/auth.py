"""Authentication: the raw API key, or the OAuth2 flow of the v1.0 Authentication API.

The public home of these names; the code lives in ``memories_integrations._transport.auth``.
"""

from memories_integrations._transport.auth import (
    DEFAULT_AUTH_BASE_URL,
    KEY_ENV_VARS,
    ApiKeyAuth,
    AuthorizationCode,
    FileTokenStore,
    MemoryTokenStore,
    OAuth2Auth,
    TokenFlow,
    TokenSet,
    TokenStore,
    api_key_from_env,
    expected_state,
    parse_authorization_callback,
)

__all__ = [
    "DEFAULT_AUTH_BASE_URL",
    "KEY_ENV_VARS",
    "ApiKeyAuth",
    "AuthorizationCode",
    "FileTokenStore",
    "MemoryTokenStore",
    "OAuth2Auth",
    "TokenFlow",
    "TokenSet",
    "TokenStore",
    "api_key_from_env",
    "expected_state",
    "parse_authorization_callback",
]

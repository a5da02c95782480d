"""OAuth2 token responses (v1.0 Authentication API)."""

from __future__ import annotations

from pydantic import AliasChoices, Field, SecretStr

from memories_integrations.models._base import ApiModel, OptSeconds


class AccessToken(ApiModel):
    """``data`` of getAccessToken / refreshAccessToken. Lifetimes are in seconds."""

    access_token: SecretStr = Field(validation_alias=AliasChoices("accessToken", "access_token"))
    token_type: str | None = Field(None, validation_alias=AliasChoices("type", "token_type"))
    expires_in: OptSeconds = Field(None, validation_alias=AliasChoices("expiresIn", "expires_in"))
    refresh_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("refreshToken", "refresh_token")
    )
    refresh_expires_in: OptSeconds = Field(
        None, validation_alias=AliasChoices("refreshExpiresIn", "refresh_expires_in")
    )

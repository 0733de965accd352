"""The base of every public shape: frozen, no unknown fields, JSON by `model_dump(mode="json")`."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["Input", "Public"]


class Public(BaseModel):
    """An answer the API and the CLI's `--json` give (documented in docs/cli.md, docs/web.md)."""

    model_config = ConfigDict(frozen=True, serialize_by_alias=True)


class Input(BaseModel):
    """A body the API takes (or an HTML form, parsed by the same model): unknown fields are
    refused and text is trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

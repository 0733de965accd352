"""The base of every public shape (frozen, JSON by `model_dump(mode="json")`) and of every
body the API takes (strict: a JSON number is a number, a boolean a boolean; text without
control characters; no NaN or infinity)."""

from __future__ import annotations

import unicodedata
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

__all__ = ["Input", "Public", "clean_text"]


class Public(BaseModel):
    """An answer the API and the CLI's `--json` give (documented in docs/cli.md, docs/web.md)."""

    model_config = ConfigDict(frozen=True, serialize_by_alias=True)


def clean_text(value: str) -> str:
    """Refuse what no one types and no database stores: NUL and other control characters
    (but tab and line breaks), and lone surrogates (half of a character)."""
    for char in value:
        if char in "\t\n\r":
            continue
        if unicodedata.category(char) in ("Cc", "Cs"):
            raise ValueError("text without control characters or broken characters")
    return value


class Input(BaseModel):
    """A body the API takes. JSON is validated strictly ("5" is not a number, true is not a
    1); an HTML form's text is turned into the field's type first (web/forms.py) and then
    validated by the same model, so a form and the API refuse the same things."""

    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, strict=True, allow_inf_nan=False
    )

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        if isinstance(value, str):
            return clean_text(value)
        if isinstance(value, list):
            for item in value:
                if isinstance(item, str):
                    clean_text(item)
        return value

"""Typed parameters from TOML tables: the one place kebab-case keys become snake_case fields.

Used for rule params in the catalogue and for config sections, so both reject unknown
keys and wrong types the same way, naming where the value came from.
"""

from __future__ import annotations

import datetime
import functools
import types
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

from linter.suggest import close_matches

T = TypeVar("T")


class ParamError(ValueError):
    """A value in a TOML table does not fit the expected shape; `where` names the place."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where


def to_key(field: str) -> str:
    return field.replace("_", "-")


def build(cls: type[T], raw: object, where: str) -> T:
    """Build record `cls` (a typing.NamedTuple) from a TOML table, checking keys and types."""
    if not isinstance(raw, dict):
        raise ParamError(where, f"expected a table but got {type(raw).__name__}")
    if cls is dict:  # contact checks validate their own params against the schema
        return dict(raw)  # type: ignore[return-value]
    names, required = _fields(cls)  # type: ignore[arg-type]
    keys = {to_key(name): name for name in names}
    hints = _hints(cls)  # type: ignore[arg-type]
    values: dict[str, Any] = {}
    for key, value in raw.items():
        name = keys.get(key)
        if name is None:
            hint = close_matches(key, keys)
            expected = ", ".join(sorted(keys)) or "no keys"
            extra = f'; did you mean "{hint[0]}"?' if hint else f" (expected {expected})"
            raise ParamError(f"{where}.{key}", f"unknown key{extra}")
        values[name] = coerce(hints[name], value, f"{where}.{key}")
    missing = [to_key(name) for name in required if name not in values]
    if missing:
        raise ParamError(where, f"missing required key(s): {', '.join(missing)}")
    return cls(**values)


def is_record(hint: Any) -> bool:
    """A class build() fills: a typing.NamedTuple."""
    return isinstance(hint, type) and issubclass(hint, tuple) and hasattr(hint, "_fields")


@functools.cache
def _fields(cls: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A record's field names, and those without a default."""
    names: tuple[str, ...] = cls._fields
    return names, tuple(n for n in names if n not in cls._field_defaults)


@functools.cache  # evaluating string annotations is slow; rules share a few param classes
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


_PLAIN = frozenset({str, bool, int, float})


def coerce(hint: Any, value: object, where: str) -> Any:
    """Check `value` against a type hint; lists become tuples so params stay frozen."""
    if type(value) is hint and hint in _PLAIN:  # most values: a shortcut, same result
        return value
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return coerce(arg, value, where)
            except ParamError as exc:
                errors.append(str(exc))
        raise ParamError(where, f"expected {_name(hint)} but got {value!r}")
    if origin is tuple:
        if not isinstance(value, list | tuple):
            raise ParamError(where, f"expected a list but got {value!r}")
        item = args[0] if args else Any
        return tuple(coerce(item, v, f"{where}[{i}]") for i, v in enumerate(value))
    if origin in (dict, Mapping):
        if not isinstance(value, dict):
            raise ParamError(where, f"expected a table but got {value!r}")
        _, val_t = args
        return {str(k): coerce(val_t, v, f"{where}.{k}") for k, v in value.items()}
    if origin is typing.Literal:
        if value not in args:
            choices = ", ".join(repr(a) for a in args)
            raise ParamError(where, f"expected one of {choices} but got {value!r}")
        return value
    if is_record(hint):
        return build(hint, value, where)
    if hint is Any:
        return value
    if hint is datetime.date:
        return _date(value, where)
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if (
        isinstance(hint, type)
        and isinstance(value, hint)
        and not (hint is int and isinstance(value, bool))
    ):
        return value
    raise ParamError(where, f"expected {_name(hint)} but got {value!r}")


def _date(value: object, where: str) -> datetime.date:
    """TOML dates arrive as datetime.date; a quoted ISO date is accepted too."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise ParamError(where, f"expected a date like 2025-06-30 but got {value!r}")


def _name(hint: Any) -> str:
    return getattr(hint, "__name__", None) or str(hint).replace("typing.", "")

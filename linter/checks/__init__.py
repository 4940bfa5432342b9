"""Checks: reusable logic that rules point at by name. Rules are data; checks are code.

A check is a generator ``fn(doc, params, policy) -> Iterator[Hit]`` decorated with
``@check(name, Params)``; it reads only the parsed document and yields places.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, NamedTuple, TypeVar

P = TypeVar("P")
# Email checks are (doc, params, policy) -> Iterator[Hit]; contact checks run batch-wise in
# linter.contacts as (batch, context, params) -> list[Violation]. The engine calls only the first.
CheckFn = Callable[..., Any]


class NoParams(NamedTuple):
    """For checks that take no parameters."""


class CheckSpec(NamedTuple, Generic[P]):
    name: str
    kind: str  # the document kind it reads: "email" or "table"
    params: type[P]
    fn: CheckFn
    doc: str


def check(
    name: str, params: type[Any] = NoParams, kind: str = "email"
) -> Callable[[CheckFn], CheckSpec[Any]]:
    """Declare a check under its kebab-case name."""

    def wrap(fn: CheckFn) -> CheckSpec[Any]:
        return CheckSpec(name, kind, params, fn, (fn.__doc__ or "").strip().splitlines()[0])

    return wrap

"""The building blocks of answer parsing: read one JSON value as the shape Kartra sends.

Each reader takes a decoded JSON value and ``where`` it sits in the answer (for the message)
and raises :class:`ShapeError` when the value is not what Kartra sends. Numbers are accepted
as JSON strings (Kartra's habit) or as JSON numbers. :func:`texts` reads a dataclass's string
fields from the same-named keys: :func:`record` fills a dataclass of them (the commerce
results), and get_lead's profile reads its text fields the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields
from functools import cache
from typing import TYPE_CHECKING, TypeVar, get_type_hints

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

__all__ = [
    "ShapeError",
    "as_list",
    "as_object",
    "as_text",
    "optional_text",
    "record",
    "records",
    "texts",
]

R = TypeVar("R", bound="DataclassInstance")


class ShapeError(ValueError):
    """A JSON answer whose shape is not Kartra's; the message says what was wrong."""


def as_object(value: object, where: str) -> Mapping[str, object]:
    """A JSON object."""
    if not isinstance(value, Mapping):
        raise ShapeError(f"{where} is not a JSON object")
    return value


def as_list(value: object, where: str) -> Sequence[object]:
    """A JSON array."""
    if not isinstance(value, list):
        raise ShapeError(f"{where} is not a JSON array")
    return value


def as_text(value: object, where: str) -> str:
    """A string, or a number written as one (Kartra sends both)."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise ShapeError(f"{where} is not a string or number")


def optional_text(entry: Mapping[str, object], key: str, where: str) -> str:
    """``entry[key]`` as text; ``""`` when the key is absent or ``null``."""
    value = entry.get(key)
    return "" if value is None else as_text(value, f"{where}.{key}")


@cache
def _text_fields(cls: type[DataclassInstance]) -> tuple[str, ...]:
    """The names of ``cls``'s fields typed ``str``, in order."""
    hints = get_type_hints(cls)
    return tuple(item.name for item in fields(cls) if hints[item.name] is str)


def texts(cls: type[DataclassInstance], entry: Mapping[str, object], where: str) -> dict[str, str]:
    """The values of ``cls``'s ``str`` fields, read from the JSON object's same-named keys.

    The first is the record's id: it must be there. Any other key may be missing (``""``): a
    client that broke on one absent detail would be more fragile than useful.
    """
    first, *others = _text_fields(cls)
    values = {name: optional_text(entry, name, where) for name in others}
    values[first] = as_text(entry.get(first), f"{where}.{first}")
    return values


def record(cls: type[R], value: object, where: str) -> R:
    """A dataclass of :func:`texts` fields (and ``raw``, the object as received)."""
    entry = as_object(value, where)
    make: Callable[..., R] = cls
    return make(**texts(cls, entry, where), raw=entry)


def records(cls: type[R], value: object, where: str) -> tuple[R, ...]:
    """A JSON array of :func:`record` objects."""
    return tuple(
        record(cls, item, f"{where}[{index}]") for index, item in enumerate(as_list(value, where))
    )

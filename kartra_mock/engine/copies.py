"""Copies of a world and of one account, so the initial world is kept parsed, not as a document.

``reset`` copies the initial world (or one account of it) instead of reading the state document
again: resetting one account costs what that account holds. Definitions, products, transactions
and subscriptions are frozen values and are shared; leads and every mutable mapping are copied.
The copies read each class's own field list, so a field added to the model is copied too.
"""

from __future__ import annotations

from dataclasses import fields
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from kartra_mock.domain.model import Account, World

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

__all__ = ["copy_account", "copy_world"]

_D = TypeVar("_D", bound="DataclassInstance")


def _fresh(value: object) -> object:
    """A new container for a dict or list field (its items are values, shared); else itself."""
    if type(value) is dict:
        return dict(value)
    if type(value) is list:
        return list(value)
    return value


@cache
def _field_names(cls: type[DataclassInstance]) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _copy(item: _D, **replaced: object) -> _D:
    """``item`` with a new container for each dict or list field, and the ``replaced`` fields."""
    names = _field_names(type(item))
    if replaced:
        names = tuple(name for name in names if name not in replaced)
    values: dict[str, Any] = {name: _fresh(getattr(item, name)) for name in names}
    return type(item)(**values, **replaced)


def copy_account(account: Account) -> Account:
    """An account that shares nothing mutable with ``account``."""
    leads = {lead_id: _copy(lead) for lead_id, lead in account.leads.items()}
    return _copy(account, leads=leads)


def copy_world(world: World) -> World:
    """A world that shares nothing mutable with ``world``."""
    accounts = {key: copy_account(account) for key, account in world.accounts.items()}
    return _copy(world, accounts=accounts)

"""Copies of a world and of one account, so the initial world is kept parsed, not as a document.

``reset`` copies the initial world (or one account of it) instead of reading the state document
again: resetting one account costs what that account holds. Definitions, products, transactions
and subscriptions are frozen values and are shared; leads and every mutable mapping are copied.
"""

from __future__ import annotations

from kartra_mock.domain.model import Account, Lead, World

__all__ = ["copy_account", "copy_world"]


def _copy_lead(lead: Lead) -> Lead:
    return Lead(
        lead.id,
        lead.email,
        dict(lead.profile),
        dict(lead.custom_fields),
        dict(lead.tags),
        dict(lead.lists),
        dict(lead.sequences),
        lead.score,
        list(lead.expiring_points),
        dict(lead.calendars),
        lead.deleted,
        lead.date_joined,
    )


def copy_account(account: Account) -> Account:
    """An account that shares nothing mutable with ``account``."""
    return Account(
        api_key=account.api_key,
        api_password=account.api_password,
        active=account.active,
        custom_fields=dict(account.custom_fields),
        tags=dict(account.tags),
        lists=dict(account.lists),
        sequences=dict(account.sequences),
        calendars=dict(account.calendars),
        pages=dict(account.pages),
        products=dict(account.products),
        transactions=dict(account.transactions),
        subscriptions=dict(account.subscriptions),
        leads={lead_id: _copy_lead(lead) for lead_id, lead in account.leads.items()},
        by_email=dict(account.by_email),
        next_id=account.next_id,
    )


def copy_world(world: World) -> World:
    """A world that shares nothing mutable with ``world``."""
    return World(
        auth=world.auth,
        settings=world.settings,
        apps=dict(world.apps),
        template=world.template,
        accounts={key: copy_account(account) for key, account in world.accounts.items()},
    )

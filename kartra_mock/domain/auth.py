"""Checks that run before any action: HTTPS, app, account (docs/behaviour.md#checks,
docs/behaviour.md#accounts)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kartra_mock.domain.model import Account, App, AuthMode, World
from kartra_mock.protocol import errors
from kartra_mock.protocol.forms import PhpValue

__all__ = ["CallContext", "authenticate"]


@dataclass(frozen=True, slots=True)
class CallContext:
    """What the transport knows about a call: where it came from and whether it was HTTPS."""

    client_ip: str = "127.0.0.1"
    https: bool = False


def _text(params: Mapping[str, PhpValue], key: str) -> str:
    value = params.get(key, "")
    return value if isinstance(value, str) else ""


def authenticate(world: World, params: Mapping[str, PhpValue], ctx: CallContext) -> Account:
    """The account a call runs in, or the first failing check's error, in docs/behaviour.md#checks's
    order.

    In open mode an unknown ``api_key`` gets a fresh account from the template; it is created
    here, on first use, even if a later check then fails the call (docs/behaviour.md#accounts).
    """
    if world.settings.require_https and not ctx.https:
        raise errors.ConnectionNotSecure
    app_id = _text(params, "app_id")
    if app_id == "":
        raise errors.AppIdEmpty
    app: App | None = world.apps.get(app_id)
    if app is None and world.auth is AuthMode.STRICT:
        raise errors.AppIdInvalid
    if app is not None:
        if not app.active:
            raise errors.AppIdInvalid
        if not app.owner_active:
            raise errors.AppAccountInactive
        if app.allowed_ips and ctx.client_ip not in app.allowed_ips:
            raise errors.UnauthorizedIp
    api_key = _text(params, "api_key")
    if api_key == "":
        raise errors.ApiKeyEmpty
    account = world.accounts.get(api_key)
    if account is None:
        if world.auth is AuthMode.STRICT:
            raise errors.ApiKeyInvalid
        account = Account.from_template(api_key, world.template)
        world.accounts[api_key] = account
    if account.api_password is not None and _text(params, "api_password") != account.api_password:
        raise errors.ApiPasswordInvalid
    if not account.active:
        raise errors.AccountInactive
    return account

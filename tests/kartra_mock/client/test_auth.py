"""Checks before any action raise their catalogue class (docs/behaviour.md#checks, strict mode:
docs/behaviour.md#accounts)."""

from __future__ import annotations

import pytest

from kartra_mock import errors
from tests.kartra_mock.client import DEMO, Connector, settle

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("credentials", "error"),
    [
        ({"app_id": ""}, errors.AppIdEmpty),
        ({"app_id": "unknown-app"}, errors.AppIdInvalid),
        ({"api_key": ""}, errors.ApiKeyEmpty),
        ({"api_key": "unknown-key"}, errors.ApiKeyInvalid),
        ({"api_password": "wrong-s3cret"}, errors.ApiPasswordInvalid),
    ],
    ids=lambda value: value.__name__ if isinstance(value, type) else None,
)
async def test_strict_mode_checks_raise_typed_errors(
    kartra: Connector, credentials: dict[str, str], error: type[errors.KartraError]
) -> None:
    sent = {
        "app_id": DEMO["app_id"],
        "api_key": DEMO["api_key"],
        "api_password": DEMO["api_password"],
    }
    sent.update(credentials)
    client = kartra.client("strict", **sent)
    with pytest.raises(error) as caught:
        await settle(client.retrieve_account_tags())
    assert caught.value.message == error.default_message
    assert caught.value.status_code == 200
    assert sent["api_password"] not in str(caught.value)
    assert sent["api_password"] not in repr(caught.value)


async def test_strict_mode_serves_the_configured_account(kartra: Connector) -> None:
    client = kartra.client("strict")
    assert await settle(client.retrieve_account_tags()) == ()


async def test_open_mode_isolates_accounts_by_api_key(kartra: Connector) -> None:
    one = kartra.client(api_key="tenant-1", api_password="any")
    two = kartra.client(api_key="tenant-2", api_password="other")
    assert (await settle(one.create_lead(email="same@example.com"))).id == "1"
    assert (await settle(two.create_lead(email="same@example.com"))).id == "1"
    assert await settle(one.retrieve_account_tags()) == ("Customer",)

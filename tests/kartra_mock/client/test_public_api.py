"""The client's public surface: ``__all__`` pinned, reprs without secrets, one error catalogue."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

import kartra_mock.client
from kartra_mock.client import AsyncKartraClient, ChainBuilder, KartraClient
from kartra_mock.domain.commands import COMMANDS
from kartra_mock.domain.leads import LEAD_COMMANDS
from tests.kartra_mock.client import close

CLIENT_PACKAGE = Path(kartra_mock.client.__file__).parent


def test_all_is_pinned() -> None:
    assert len(set(kartra_mock.client.__all__)) == len(kartra_mock.client.__all__)
    assert set(kartra_mock.client.__all__) == {
        "DEFAULT_BASE_URL",
        "DEFAULT_MAX_RETRIES",
        "DEFAULT_TIMEOUT",
        "RETRY_DELAY",
        "SHARED_THROTTLES",
        "ActionResult",
        "AsyncChain",
        "AsyncKartraClient",
        "CancellationResult",
        "Chain",
        "ChainBuilder",
        "ChainResult",
        "CustomField",
        "CustomFieldOption",
        "CustomFieldValue",
        "KartraClient",
        "KartraClientError",
        "KartraProtocolError",
        "LeadList",
        "LeadProfile",
        "LeadRef",
        "LeadSequence",
        "LegacySubscription",
        "RateLimitExceeded",
        "RefundResult",
        "SubscriptionDetails",
        "SubscriptionSummary",
        "Throttle",
        "ThrottleRegistry",
        "TransactionDetails",
        "TransactionRef",
        "http_build_query",
        "lead_params",
    }
    for name in kartra_mock.client.__all__:
        assert getattr(kartra_mock.client, name) is not None


@pytest.mark.anyio
async def test_the_clients_show_no_password() -> None:
    secret = "pa55-w0rd-secret"
    for cls in (KartraClient, AsyncKartraClient):
        client = cls(app_id="demo-app", api_key="demo-key", api_password=secret)
        assert secret not in repr(client)
        assert secret not in str(client)
        assert repr(client) == (
            f"{cls.__name__}(base_url='https://app.kartra.com/api', app_id='demo-app', "
            "api_key='demo-key')"
        )
        assert (client.base_url, client.app_id, client.api_key) == (
            "https://app.kartra.com/api",
            "demo-app",
            "demo-key",
        )
        await close(client)


def test_no_module_defines_a_second_error_catalogue() -> None:
    """Kartra-type errors come from kartra_mock.errors; the client defines only its own."""
    defined: list[str] = []
    for path in sorted(CLIENT_PACKAGE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases = {ast.unparse(base) for base in node.bases}
                if bases & {
                    "Exception",
                    "KartraError",
                    "KartraClientError",
                    "KartraProtocolError",
                    "ValueError",
                }:
                    defined.append(node.name)
    assert sorted(defined) == [
        "KartraClientError",
        "KartraProtocolError",
        "RateLimitExceeded",
        "ShapeError",
        "WebhookFormatError",
    ]


def test_every_client_module_is_documented() -> None:
    """(Length: tests/test_architecture.py holds every module over 400 lines to a reason.)"""
    for path in sorted(CLIENT_PACKAGE.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert ast.get_docstring(ast.parse(text)), path.name


def _public(cls: type) -> dict[str, object]:
    return {name: getattr(cls, name) for name in dir(cls) if not name.startswith("_")}


def test_the_async_client_is_the_sync_clients_twin() -> None:
    """Same methods, same parameters; every call is a coroutine on the async side."""
    sync, twin = _public(KartraClient), _public(AsyncKartraClient)
    assert set(sync) - {"close"} == set(twin) - {"aclose"}
    for name, method in sync.items():
        if not callable(method) or name in ("close", "chain"):
            continue
        other = twin[name]
        assert callable(other)
        assert inspect.iscoroutinefunction(other), name
        assert inspect.signature(method) == inspect.signature(other), name


def test_every_command_the_mock_serves_has_a_chain_method_and_a_client_method() -> None:
    """A command missing from the client fails here, not in a user's code."""
    for cmd in sorted({*COMMANDS, *LEAD_COMMANDS}):
        assert callable(getattr(ChainBuilder, cmd, None)), f"ChainBuilder.{cmd}"
        assert callable(getattr(KartraClient, cmd, None)), f"KartraClient.{cmd}"

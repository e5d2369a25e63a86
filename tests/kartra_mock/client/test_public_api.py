"""The client's public surface: ``__all__`` pinned, reprs without secrets, one error catalogue."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import kartra_mock.client
from kartra_mock.client import AsyncKartraClient, KartraClient
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
        "RateLimitExceeded",
        "Throttle",
        "ThrottleRegistry",
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
    ]


def test_every_client_module_is_small_and_documented() -> None:
    for path in sorted(CLIENT_PACKAGE.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert ast.get_docstring(ast.parse(text)), path.name
        assert len(text.splitlines()) < 300, path.name

"""Shared test helpers: a PHP-style encoder and a small harness around the ASGI app."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, cast
from urllib.parse import quote_plus

import httpx

from kartra_mock import create_app
from kartra_mock.engine.backend import Backend, Overrides
from kartra_mock.testing.asgi import SyncASGITransport

DEMO: dict[str, str] = {
    "app_id": "demo-app",
    "api_key": "demo-key",
    "api_password": "demo-password",
}

Params = Mapping[str, object]

#: One TLS context for the tests' own httpx clients of local servers. They speak plain HTTP, yet
#: each new client would otherwise load the CA bundle into a context of its own (~20 ms).
TLS = httpx.create_ssl_context()


def build_query(params: Params) -> str:
    """PHP's ``http_build_query``: nested maps and lists as bracketed, percent-encoded keys."""
    pairs: list[str] = []

    def walk(prefix: str, value: object) -> None:
        if isinstance(value, Mapping):
            for key, item in value.items():
                walk(f"{prefix}[{key}]", item)
        elif isinstance(value, Sequence) and not isinstance(value, str):
            for index, item in enumerate(value):
                walk(f"{prefix}[{index}]", item)
        elif value is not None:
            text = str(int(value)) if isinstance(value, bool) else str(value)
            pairs.append(f"{quote_plus(prefix)}={quote_plus(text)}")

    for key, value in params.items():
        walk(str(key), value)
    return "&".join(pairs)


class Api:
    """Posts PHP-encoded calls to one in-process mock and decodes the JSON answers.

    The app runs on the calling thread's own event loop (:class:`SyncASGITransport`): no
    thread per call, nothing left running between calls, so an unclosed ``Api`` holds nothing.
    As with starlette's ``TestClient``, the app's exceptions reach the test and redirects are
    followed.
    """

    def __init__(
        self,
        state: Mapping[str, object] | None = None,
        *,
        overrides: Overrides | None = None,
        clock: Any = None,
    ) -> None:
        kwargs: dict[str, Any] = {"overrides": overrides or Overrides(rate_limit=0)}
        if clock is not None:
            kwargs["clock"] = clock
        self.backend = Backend(state, **kwargs)
        self.http = httpx.Client(
            transport=SyncASGITransport(create_app(backend=self.backend)),
            base_url="http://testserver",
            follow_redirects=True,
            # TestClient never timed out; a loaded CI machine should not fail a call either.
            timeout=30,
        )

    def post(self, params: Params, *, credentials: Params = DEMO) -> tuple[int, str, bytes]:
        """Send a call; return HTTP status, Content-Type and the raw body."""
        body = build_query({**credentials, **params})
        response = self.http.post(
            "/api", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        return response.status_code, response.headers["content-type"], response.content

    def call(self, params: Params, *, credentials: Params = DEMO) -> dict[str, Any]:
        """Send a call and return its decoded JSON answer (which must be HTTP 200)."""
        status, _, body = self.post(params, credentials=credentials)
        assert status == 200, body
        return cast(dict[str, Any], json.loads(body))

    def create(self, email: str, **fields: object) -> str:
        """Create a lead and return its id."""
        answer = self.call(
            {"lead": {"email": email, **fields}, "actions": [{"cmd": "create_lead"}]}
        )
        assert answer["status"] == "Success", answer
        return cast(str, answer["actions"][0]["create_lead"]["lead_details"]["id"])

    def get_lead(self, **identity: str) -> dict[str, Any]:
        """The get_lead profile of a lead."""
        answer = self.call({"get_lead": identity})
        assert answer["status"] == "Success", answer
        return cast(dict[str, Any], answer["lead_details"])

    def state(self) -> dict[str, Any]:
        """The state document."""
        return self.backend.state()

    def warnings(self) -> list[str]:
        """The rule ids of the last call's contract warnings."""
        entries = self.backend.journal()
        return [w.rule for w in entries[-1].warnings]

    def close(self) -> None:
        """Close the HTTP client."""
        self.http.close()


#: Python code that makes ``hypothesis`` unimportable, as in an environment without it (the
#: server-only Docker image); run it first in a child interpreter (``python -c``).
WITHOUT_HYPOTHESIS = """
import importlib.abc, sys
class _NoHypothesis(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in ("hypothesis", "_hypothesis_pytestplugin"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, _NoHypothesis())
"""

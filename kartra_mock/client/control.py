"""A client of the mock's control plane, ``/_mock/...``: the one every tool uses.

``KartraMock`` (remote mode), the contract kit and ``kartra-mock report`` / ``trigger`` all talk
to a kartra-mock through :class:`ControlPlane`; real Kartra has no control plane
(docs/control-plane.md lists the routes). Any ``httpx.Client`` whose base URL is the server's
root works, an in-process transport included.

Example::

    control = ControlPlane.connect("http://127.0.0.1:8765")
    lead_id = control.add_lead("demo-key", {"email": "ada@example.com", "first_name": "Ada"})
    control.reset()
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast
from urllib.parse import quote

import httpx

__all__ = ["ControlPlane", "ControlPlaneError"]


class ControlPlaneError(RuntimeError):
    """The control plane refused a request (an invalid document or item, a missing lead, ...)."""

    def __init__(self, method: str, path: str, status_code: int, text: str) -> None:
        super().__init__(f"{method} {path} failed with HTTP {status_code}: {text[:500]}")
        self.status_code = status_code
        self.text = text


def _account(api_key: str) -> str:
    return f"/_mock/accounts/{quote(api_key, safe='')}"


class ControlPlane:
    """``/_mock/...`` of one kartra-mock server."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http

    @classmethod
    def connect(
        cls, base_url: str, *, admin_token: str | None = None, timeout: float = 10.0
    ) -> ControlPlane:
        """The control plane of the server at ``base_url`` (its root, not ``/api``)."""
        headers = {"Authorization": f"Bearer {admin_token}"} if admin_token else {}
        return cls(httpx.Client(base_url=base_url.rstrip("/"), headers=headers, timeout=timeout))

    @classmethod
    def probe(cls, http: httpx.Client) -> ControlPlane | None:
        """The control plane if ``GET /_mock/health`` answers ``{"status": "ok"}``; else None."""
        try:
            response = http.get("/_mock/health")
            healthy = response.status_code == 200 and response.json() == {"status": "ok"}
        except (httpx.HTTPError, ValueError):
            return None
        return cls(http) if healthy else None

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        """One call: its JSON answer, or :class:`ControlPlaneError` for an HTTP error status."""
        response = self.http.request(method, path, **kwargs)
        if response.status_code >= 400:
            raise ControlPlaneError(method, path, response.status_code, response.text)
        return response.json()

    def close(self) -> None:
        """Close the HTTP client."""
        self.http.close()

    # -- the world --------------------------------------------------------------------------

    def reset(self, api_key: str | None = None) -> None:
        """Back to the initial world, empty journal, no faults; or reset one account."""
        self.request("POST", "/_mock/reset", params={} if api_key is None else {"api_key": api_key})

    def state(self) -> dict[str, Any]:
        """The whole world as a state document."""
        return cast(dict[str, Any], self.request("GET", "/_mock/state"))

    def put_state(self, document: Mapping[str, object]) -> None:
        """Replace the world (it also becomes the world reset returns to)."""
        self.request("PUT", "/_mock/state", json=document)

    def seed(self, api_key: str, kind: str, item: Mapping[str, object]) -> dict[str, Any]:
        """Add one item (``kind``: leads, tags, lists, pages, custom_fields, sequences, ...)."""
        return cast(dict[str, Any], self.request("POST", f"{_account(api_key)}/{kind}", json=item))

    def add_lead(self, api_key: str, lead: Mapping[str, object]) -> int:
        """Put one lead (state-document format) into an account; returns its id."""
        return int(self.seed(api_key, "leads", lead)["id"])

    def delete_lead(self, api_key: str, lead_id: int | str) -> None:
        """Mark a lead deleted, as Kartra's UI does (it then answers 245)."""
        self.request("POST", f"{_account(api_key)}/leads/{lead_id}/delete")

    # -- the journal ------------------------------------------------------------------------

    def journal(self, api_key: str | None = None, since: int = 0) -> list[dict[str, Any]]:
        """The journal entries (one account's, if given) after ``since``, oldest first."""
        params: dict[str, str | int] = {} if api_key is None else {"api_key": api_key}
        if since:
            params["since"] = since
        answer = self.request("GET", "/_mock/requests", params=params)
        return cast(list[dict[str, Any]], answer["requests"])

    def clear_journal(self, api_key: str | None = None) -> None:
        """Forget the journal's entries (one account's, if given)."""
        self.request(
            "DELETE", "/_mock/requests", params={} if api_key is None else {"api_key": api_key}
        )

    # -- faults -----------------------------------------------------------------------------

    def schedule_fault(self, fault: Mapping[str, object]) -> dict[str, Any]:
        """``POST /_mock/faults``: e.g. ``{"kind": "rate_limit", "api_key": …, "times": 2}``."""
        return cast(dict[str, Any], self.request("POST", "/_mock/faults", json=fault)["fault"])

    def faults(self) -> list[dict[str, Any]]:
        """The pending faults."""
        return cast(list[dict[str, Any]], self.request("GET", "/_mock/faults")["faults"])

    def clear_faults(self, api_key: str | None = None) -> None:
        """Unschedule every pending fault (or one account's)."""
        self.request(
            "DELETE", "/_mock/faults", params={} if api_key is None else {"api_key": api_key}
        )

    # -- outbound webhooks and IPN ----------------------------------------------------------

    def set_outbound(self, config: Mapping[str, object]) -> dict[str, Any]:
        """Replace the outbound configuration (``webhooks``, ``ipn``, ``delivery``)."""
        return cast(dict[str, Any], self.request("PUT", "/_mock/outbound", json=dict(config)))

    def trigger(self, event: Mapping[str, object]) -> list[dict[str, Any]]:
        """Make an event happen to a lead; returns where the calls were queued."""
        return cast(
            list[dict[str, Any]], self.request("POST", "/_mock/trigger", json=event)["queued"]
        )

    def deliveries(self, since: int = 0) -> list[dict[str, Any]]:
        """The delivery journal after ``since``, oldest first."""
        answer = self.request("GET", "/_mock/deliveries", params={"since": since})
        return cast(list[dict[str, Any]], answer["deliveries"])

"""The mock's control plane (docs/control-plane.md), as far as the contracts use it, over plain
HTTP.

Only a kartra-mock server has one; the real Kartra does not, and ``verify_server`` with
``real_kartra=True`` never calls it. :func:`ControlPlane.probe` tells whether a server has it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import httpx

__all__ = ["ControlPlane", "ControlPlaneError"]


class ControlPlaneError(RuntimeError):
    """The control plane refused a request the contracts needed."""


class ControlPlane:
    """``/_mock/...`` of one server; ``http`` has the server's root as its base URL."""

    def __init__(self, http: httpx.Client) -> None:
        self._http = http

    @classmethod
    def probe(cls, http: httpx.Client) -> ControlPlane | None:
        """The control plane if ``GET /_mock/health`` answers ``{"status": "ok", …}``; else None."""
        try:
            response = http.get("/_mock/health")
            answer = response.json()
            healthy = response.status_code == 200 and isinstance(answer, dict)
            healthy = healthy and answer.get("status") == "ok"
        except (httpx.HTTPError, ValueError):
            return None
        return cls(http) if healthy else None

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._http.request(method, path, **kwargs)
        if response.status_code >= 400:
            raise ControlPlaneError(
                f"{method} {path} answered HTTP {response.status_code}: {response.text[:300]}"
            )
        return response.json()

    def reset(self) -> None:
        """Back to the initial world, with an empty journal and no faults."""
        self._json("POST", "/_mock/reset")

    def put_state(self, document: Mapping[str, object]) -> None:
        """Replace the world (it also becomes the world reset returns to)."""
        self._json("PUT", "/_mock/state", json=document)

    def settings(self) -> dict[str, Any]:
        """The ``settings`` of the state document (rate limit, content type, …)."""
        state = cast(dict[str, Any], self._json("GET", "/_mock/state"))
        return cast(dict[str, Any], state.get("settings") or {})

    def delete_lead(self, api_key: str, lead_id: str) -> None:
        """Mark a lead deleted, as Kartra's UI does."""
        self._json("POST", f"/_mock/accounts/{api_key}/leads/{lead_id}/delete")

    def journal(self, api_key: str) -> list[dict[str, Any]]:
        """One account's journal entries, oldest first."""
        answer = self._json("GET", "/_mock/requests", params={"api_key": api_key})
        return cast(list[dict[str, Any]], answer["requests"])

    def clear_journal(self, api_key: str) -> None:
        """Forget one account's journal entries."""
        self._json("DELETE", "/_mock/requests", params={"api_key": api_key})

    def schedule_fault(self, **fault: object) -> None:
        """``POST /_mock/faults``: e.g. ``kind="rate_limit", api_key=…, times=2``."""
        self._json("POST", "/_mock/faults", json=fault)

    def clear_faults(self) -> None:
        """Unschedule every pending fault."""
        self._json("DELETE", "/_mock/faults")

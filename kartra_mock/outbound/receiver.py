"""A receiver for tests: an app that records every outbound call it gets, and waits for them.

Example::

    with Receiver.serve() as receiver:          # a real socket, for a server in any process
        mock.webhook(receiver.url + "/hook")
        ...
        hook = receiver.wait_for("assign_tag")
        assert hook.json["action_details"]["tag"]["tag_name"] == "Customer"
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

__all__ = ["Received", "Receiver"]


@dataclass(frozen=True, slots=True)
class Received:
    """One call that arrived: its path, content type and raw body, decoded."""

    path: str
    content_type: str
    body: bytes

    @property
    def json(self) -> dict[str, object]:
        """The webhook's JSON object (``{}`` if the body is not one)."""
        try:
            value = json.loads(self.body)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    @property
    def form(self) -> dict[str, str]:
        """The IPN's flat form variables."""
        return dict(urllib.parse.parse_qsl(self.body.decode("utf-8", "replace")))

    @property
    def event(self) -> str:
        """The webhook's ``action`` or the IPN's ``transaction_type``."""
        if self.content_type.startswith("application/x-www-form-urlencoded"):
            return self.form.get("transaction_type", "")
        action = self.json.get("action")
        return action if isinstance(action, str) else ""


class Receiver:
    """Collects the calls posted to its app (any path), answering ``status_code``."""

    def __init__(self, status_code: int = 200) -> None:
        self.status_code = status_code
        self._received: list[Received] = []
        self._changed = threading.Condition()
        self.url = ""
        self.app = Starlette(routes=[Route("/{path:path}", self._handle, methods=["POST"])])

    async def _handle(self, request: Request) -> Response:
        item = Received(
            request.url.path, request.headers.get("content-type", ""), await request.body()
        )
        with self._changed:
            self._received.append(item)
            self._changed.notify_all()
        return JSONResponse({"ok": True}, status_code=self.status_code)

    @property
    def received(self) -> list[Received]:
        """Everything that arrived, in order."""
        with self._changed:
            return list(self._received)

    def clear(self) -> None:
        """Forget what arrived."""
        with self._changed:
            self._received.clear()

    def wait_for(
        self, event: str | None = None, *, count: int = 1, timeout: float = 5.0
    ) -> Received:
        """The ``count``-th call of ``event`` (any event when ``None``) once it has arrived.

        Raises :class:`AssertionError` saying what did arrive if it does not within ``timeout``.
        """
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                matching = [r for r in self._received if event is None or r.event == event]
                if len(matching) >= count:
                    return matching[count - 1]
                left = deadline - time.monotonic()
                if left <= 0:
                    got = [r.event for r in self._received]
                    raise AssertionError(
                        f"expected {count} × {event or 'any event'} within {timeout}s; got {got}"
                    )
                self._changed.wait(left)

    @classmethod
    @contextmanager
    def serve(cls, status_code: int = 200) -> Iterator[Receiver]:
        """A receiver on a real socket (``127.0.0.1``, a free port); ``url`` is its base URL."""
        from kartra_mock.server.threaded import ThreadedServer

        receiver = cls(status_code)
        with ThreadedServer(receiver.app) as server:
            receiver.url = server.url
            yield receiver

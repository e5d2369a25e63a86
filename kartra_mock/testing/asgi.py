# Over 400 lines: the in-process transports and the event loops they run calls on are one concept.
"""In-process transports into an ASGI app that fail exactly as a socket to it would.

httpx's own :class:`httpx.ASGITransport` is async only, ignores the client's timeouts and
lets the app's exceptions escape. These transports run the app the same way for every client
library (:func:`run_app`), then map what happened at their own boundary, as httpx maps a
socket's errors:

* the app dropped the connection (a ``drop`` fault, :class:`ConnectionDropped`): the status
  line and headers arrive, then reading the body fails — ``httpx.RemoteProtocolError`` here,
  ``requests.exceptions.ChunkedEncodingError`` through :mod:`kartra_mock.testing.intercept`;
* the answer did not come within the client's read timeout (a ``latency`` fault):
  ``httpx.ReadTimeout`` / ``requests.exceptions.ReadTimeout``; the call itself was handled,
  as a server handles a call whose client gave up.

:class:`SyncASGITransport` lets sync code — a sync client, a ``requests`` adapter, code under
test — reach an in-process mock without a socket: it runs the app on an event loop of the
calling thread's own, which runs only while a call waits for its answer (no hop to another
thread), or, where the calling thread already runs a loop, on a loop in a daemon helper thread.

Example::

    transport = SyncASGITransport(kartra_mock.create_app())
    with httpx.Client(transport=transport, base_url="http://kartra") as http:
        http.post("/api", data={...})
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import threading
import weakref
from collections.abc import AsyncIterator, Coroutine, Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any
from urllib.parse import unquote

import anyio
import httpx

from kartra_mock.server.faults import ConnectionDropped

__all__ = ["AnswerTimeout", "AsyncASGITransport", "InProcessAnswer", "SyncASGITransport", "run_app"]

Headers = list[tuple[bytes, bytes]]


class AnswerTimeout(Exception):
    """The app did not answer within the read timeout (each transport maps it)."""


@dataclass(slots=True)
class InProcessAnswer:
    """What the app sent: status line, headers, body; ``dropped`` if it broke off the body."""

    status: int = 0
    headers: Headers = field(default_factory=list)
    body: bytes = b""
    dropped: bool = False

    def expected_length(self) -> int | None:
        """The ``Content-Length`` the app announced, if any."""
        for name, value in self.headers:
            if name.lower() == b"content-length" and value.isdigit():
                return int(value)
        return None

    def drop_message(self) -> str:
        """The words httpx uses for a connection closed in the middle of a body."""
        expected = self.expected_length()
        return (
            "peer closed connection without sending complete message body: "
            f"received {len(self.body)} bytes, expected {expected}"
        )


async def run_app(
    app: Any,
    url: httpx.URL,
    method: str,
    headers: Headers,
    body: bytes,
    client: tuple[str, int] = ("127.0.0.1", 123),
) -> InProcessAnswer:
    """Run one request through ``app``; :class:`ConnectionDropped` becomes ``dropped``."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "headers": [(name.lower(), value) for name, value in headers],
        "scheme": url.scheme,
        "path": unquote(url.path),
        "raw_path": url.raw_path.split(b"?")[0],
        "query_string": url.query,
        "server": (url.host, url.port),
        "client": client,
        "root_path": "",
    }
    answer = InProcessAnswer()
    sent_request = False
    finished = False
    # Made only if the app listens for the disconnect before its answer is complete.
    complete: anyio.Event | None = None

    async def receive() -> dict[str, Any]:
        nonlocal sent_request, complete
        if not sent_request:
            sent_request = True
            return {"type": "http.request", "body": body, "more_body": False}
        if not finished:
            if complete is None:
                complete = anyio.Event()
            await complete.wait()
        return {"type": "http.disconnect"}

    def finish() -> None:
        nonlocal finished
        finished = True
        if complete is not None:
            complete.set()

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer.status = message["status"]
            answer.headers = [(bytes(k), bytes(v)) for k, v in message.get("headers", [])]
        elif message["type"] == "http.response.body":
            answer.body += message.get("body", b"")
            if not message.get("more_body", False):
                finish()

    try:
        await app(scope, receive, send)
    except ConnectionDropped:
        if not answer.status:
            raise
        answer.dropped = True
    finally:
        finish()
    return answer


def read_timeout(request: httpx.Request) -> float | None:
    """The client's read timeout for ``request`` (``None``: wait for ever)."""
    timeout = request.extensions.get("timeout", {})
    value = timeout.get("read") if isinstance(timeout, dict) else None
    return float(value) if isinstance(value, int | float) else None


class _BrokenBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body that stops short, as a socket closed by the server does."""

    def __init__(self, answer: InProcessAnswer, request: httpx.Request) -> None:
        self._answer = answer
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        if self._answer.body:
            yield self._answer.body
        raise httpx.RemoteProtocolError(self._answer.drop_message(), request=self._request)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self:
            yield chunk


def to_httpx(answer: InProcessAnswer, request: httpx.Request) -> httpx.Response:
    """The httpx response for what the app sent."""
    # A stream, not ``content=``: the headers stay exactly the ones the app sent.
    stream: httpx.SyncByteStream = (
        _BrokenBody(answer, request) if answer.dropped else httpx.ByteStream(answer.body)
    )
    return httpx.Response(answer.status, headers=answer.headers, stream=stream, request=request)


class _ThreadLoop:
    """The event loop in-process calls run on in one thread: created on its first call there.

    It runs only while a call waits for its answer, so nothing runs between calls and no thread
    is started: the answer comes back with no hop to another thread. It is closed when its
    thread ends (or, for the main thread, at exit).
    """

    __slots__ = ("__weakref__", "finalizer", "loop")

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.finalizer = weakref.finalize(self, _close_idle, self.loop)


def _close_idle(loop: asyncio.AbstractEventLoop) -> None:
    if not loop.is_running() and not loop.is_closed():
        loop.close()


#: Each thread's :class:`_ThreadLoop`, shared by every transport the thread uses.
_LOCAL = threading.local()


def _thread_loop() -> _ThreadLoop:
    own: _ThreadLoop | None = getattr(_LOCAL, "own", None)
    if own is None:
        own = _LOCAL.own = _ThreadLoop()
    return own


def _forget_the_parents_loop() -> None:
    # A forked child must not share the parent's selector and wake-up socket: it makes its own.
    _LOCAL.own = None


if hasattr(os, "register_at_fork"):  # POSIX
    os.register_at_fork(after_in_child=_forget_the_parents_loop)


class _Waiting:
    """Stops the loop when its call ends or its deadline passes, unless the wait is over.

    A stop scheduled in the very step the wait ended would otherwise stop the next call.
    """

    __slots__ = ("loop", "waiting")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.waiting = True

    def stop(self, _: object = None) -> None:
        if self.waiting:
            self.loop.stop()


def _run_here(call: Coroutine[Any, Any, InProcessAnswer], timeout: float | None) -> InProcessAnswer:
    """Run ``call`` on this thread's own loop (no loop is running in this thread)."""
    own = _thread_loop()
    loop = own.loop
    started = loop.time()
    task = loop.create_task(call)
    wait: _Waiting | None = None
    deadline = None
    try:
        # One pass first (a loop stopped before it runs runs once): most calls wait for
        # nothing, and end in it.
        loop.stop()
        loop.run_forever()
        if not task.done():
            wait = _Waiting(loop)
            task.add_done_callback(wait.stop)
            if timeout is not None:
                deadline = loop.call_at(started + timeout, wait.stop)
            loop.run_forever()
    finally:
        if wait is not None:
            wait.waiting = False
            task.remove_done_callback(wait.stop)
        if deadline is not None:
            deadline.cancel()
        answered = task.done()
        if not answered:  # the deadline passed, or the thread was interrupted (Ctrl-C)
            task.cancel()
            _abandon(own, task)
    if not answered:
        raise AnswerTimeout(f"no answer within {timeout} s")
    return task.result()


def _abandon(own: _ThreadLoop, task: asyncio.Task[InProcessAnswer]) -> None:
    """Let a cancelled call end in a thread of its own, with its loop; this thread gets a new one.

    The call itself was handled, as a server handles a call whose client gave up; what it still
    does (a shielded worker thread, its cancellation) must not hold up the caller.
    """
    if getattr(_LOCAL, "own", None) is own:
        _LOCAL.own = None
    own.finalizer.detach()
    loop = own.loop

    def finish() -> None:
        try:
            loop.run_until_complete(asyncio.wait((task,)))
            if not task.cancelled():
                task.exception()  # retrieved: an error after the client left is no one's
        finally:
            loop.close()

    threading.Thread(target=finish, name="kartra-mock-abandoned-call", daemon=True).start()


class _LoopThread:
    """An event loop in a daemon thread: for calls made where a loop is already running."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="kartra-mock-asgi", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        loop = self.loop
        try:
            loop.run_forever()
            pending = asyncio.all_tasks(loop)
            if pending:  # calls whose clients gave up: let them end
                loop.run_until_complete(asyncio.wait(pending))
        finally:
            loop.close()

    def run(
        self, call: Coroutine[Any, Any, InProcessAnswer], timeout: float | None
    ) -> InProcessAnswer:
        """Run ``call`` there and wait for it; :class:`AnswerTimeout` after ``timeout`` seconds."""
        future = asyncio.run_coroutine_threadsafe(call, self.loop)
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()  # the client gave up; the call itself was handled
            raise AnswerTimeout(f"no answer within {timeout} s") from None

    def stop(self) -> None:
        """Stop the loop once its calls have ended, and wait for the thread (10 s at most)."""
        self.loop.call_soon_threadsafe(self.loop.stop)
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=10)


class SyncASGITransport(httpx.BaseTransport):
    """Send each request through an ASGI app, on an event loop the calling thread runs.

    In a thread with no running event loop (plain sync code, a sync test), the app runs on that
    thread's own loop, which runs only while a call waits for its answer: no thread hop. Where a
    loop already runs (sync code called from async code), the call goes to a loop in a daemon
    helper thread, started on first need and stopped by :meth:`close`. Either way nothing of
    the mock's keeps the interpreter alive.
    """

    def __init__(self, app: Any, *, client: tuple[str, int] = ("127.0.0.1", 123)) -> None:
        self.app = app
        self.client = client
        self._lock = threading.Lock()
        self._helper: _LoopThread | None = None

    def _helper_loop(self) -> _LoopThread:
        with self._lock:
            if self._helper is None:
                self._helper = _LoopThread()
            return self._helper

    def exchange(
        self, url: httpx.URL, method: str, headers: Headers, body: bytes, timeout: float | None
    ) -> InProcessAnswer:
        """Run one request; :class:`AnswerTimeout` if no answer within ``timeout`` seconds."""
        call = run_app(self.app, url, method, headers, body, self.client)
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return _run_here(call, timeout)
        return self._helper_loop().run(call, timeout)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Run the request through the app; fail as httpx fails over a socket."""
        body = request.read()
        try:
            answer = self.exchange(
                request.url, request.method, request.headers.raw, body, read_timeout(request)
            )
        except AnswerTimeout:
            raise httpx.ReadTimeout("timed out", request=request) from None
        return to_httpx(answer, request)

    def close(self) -> None:
        """Stop the helper thread, if one was started (the transport stays usable)."""
        with self._lock:
            helper, self._helper = self._helper, None
        if helper is not None:
            helper.stop()

    def __exit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc: BaseException | None = None,
        tb: TracebackType | None = None,
    ) -> None:
        self.close()


class AsyncASGITransport(httpx.AsyncBaseTransport):
    """Send each request through an ASGI app on the caller's event loop."""

    def __init__(self, app: Any, *, client: tuple[str, int] = ("127.0.0.1", 123)) -> None:
        self.app = app
        self.client = client

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Run the request through the app; fail as httpx fails over a socket."""
        body = await request.aread()
        timeout = read_timeout(request)
        with anyio.move_on_after(timeout) as scope:
            answer = await run_app(
                self.app, request.url, request.method, request.headers.raw, body, self.client
            )
        if scope.cancelled_caught:
            raise httpx.ReadTimeout("timed out", request=request)
        return to_httpx(answer, request)

"""The sync ASGI transport: sync code reaches an in-process app with no socket."""

from __future__ import annotations

import asyncio
import gc
import os
import subprocess
import sys
import threading
from typing import Any

import httpx
import pytest

from kartra_mock import create_app
from kartra_mock.testing.asgi import SyncASGITransport

CALL = {
    "app_id": "demo-app",
    "api_key": "demo-key",
    "api_password": "demo-password",
    "actions[0][cmd]": "retrieve_account_lists",
}


def test_a_sync_client_reaches_the_app() -> None:
    with httpx.Client(transport=SyncASGITransport(create_app()), base_url="http://kartra") as http:
        response = http.post("/api", data=CALL)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=UTF-8"
    assert response.json() == {"status": "Success", "account_lists": ["Newsletter"]}


def test_it_works_from_inside_a_running_event_loop() -> None:
    transport = SyncASGITransport(create_app())

    async def sync_code_called_from_async() -> int:
        with httpx.Client(transport=transport, base_url="http://kartra") as http:
            return http.post("/api", data=CALL).status_code

    assert asyncio.run(sync_code_called_from_async()) == 200


def test_it_serves_many_threads_at_once() -> None:
    app = create_app()
    transport = SyncASGITransport(app)
    codes: list[int] = []
    lock = threading.Lock()

    def work(n: int) -> None:
        http = httpx.Client(transport=transport, base_url="http://kartra")
        response = http.post(
            "/api",
            data={**CALL, "lead[email]": f"u{n}@example.com", "actions[0][cmd]": "create_lead"},
        )
        with lock:
            codes.append(int(response.json()["actions"][0]["create_lead"]["lead_details"]["id"]))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    transport.close()
    assert sorted(codes) == list(range(1, 21))


def _recording_app(seen: list[tuple[threading.Thread, asyncio.AbstractEventLoop]]) -> Any:
    """An ASGI app that answers 200 and records the thread and loop it ran on."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        seen.append((threading.current_thread(), asyncio.get_running_loop()))
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    return app


def test_sync_code_runs_the_app_in_its_own_thread_with_no_helper_thread() -> None:
    seen: list[tuple[threading.Thread, asyncio.AbstractEventLoop]] = []
    before = threading.active_count()
    with httpx.Client(transport=SyncASGITransport(_recording_app(seen))) as http:
        assert http.get("http://kartra/").text == "ok"
        assert http.get("http://kartra/").text == "ok"
        assert threading.active_count() == before
    (first_thread, first_loop), (second_thread, second_loop) = seen
    assert first_thread is second_thread is threading.current_thread()
    assert first_loop is second_loop  # one loop per thread, kept between calls
    assert not first_loop.is_running()  # it runs only while a call waits for its answer


def test_from_inside_a_running_loop_a_daemon_helper_thread_runs_the_app_until_close() -> None:
    seen: list[tuple[threading.Thread, asyncio.AbstractEventLoop]] = []
    transport = SyncASGITransport(_recording_app(seen))

    http = httpx.Client(transport=transport)

    async def sync_code_called_from_async() -> str:
        return http.get("http://kartra/").text

    assert asyncio.run(sync_code_called_from_async()) == "ok"
    ((helper, _),) = seen
    assert helper is not threading.current_thread()
    assert helper.daemon  # an unclosed transport never keeps the interpreter alive
    assert helper.is_alive()
    http.close()  # closes its transport
    assert not helper.is_alive()


def test_each_threads_loop_is_closed_when_the_thread_ends() -> None:
    seen: list[tuple[threading.Thread, asyncio.AbstractEventLoop]] = []
    transport = SyncASGITransport(_recording_app(seen))

    def call() -> None:
        with httpx.Client(transport=transport) as http:
            http.get("http://kartra/")

    thread = threading.Thread(target=call)
    thread.start()
    thread.join()
    gc.collect()
    ((ran_in, loop),) = seen
    assert ran_in is thread
    assert loop.is_closed()


def test_a_timed_out_call_raises_at_its_deadline_and_the_next_call_works() -> None:
    finished = threading.Event()

    async def slow_then_fast(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["path"] == "/slow":
            try:
                await asyncio.sleep(5)
            finally:
                # Shielded, as a worker thread's job is: the caller must not wait for it.
                await asyncio.shield(asyncio.sleep(0.3))
                finished.set()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"fast"})

    with httpx.Client(transport=SyncASGITransport(slow_then_fast), timeout=0.1) as http:
        with pytest.raises(httpx.ReadTimeout):
            http.get("http://kartra/slow")
        assert not finished.is_set()  # the caller got its timeout before the call ended
        assert http.get("http://kartra/fast").text == "fast"
    assert finished.wait(5)  # the abandoned call still ran to its end, elsewhere


def test_an_interrupted_call_leaves_the_thread_able_to_call_again() -> None:
    async def interrupted_or_fast(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["path"] == "/interrupt":

            def interrupt() -> None:
                raise KeyboardInterrupt  # as Ctrl-C arrives while a call waits

            asyncio.get_running_loop().call_later(0.01, interrupt)
            await asyncio.sleep(5)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"fast"})

    with httpx.Client(transport=SyncASGITransport(interrupted_or_fast)) as http:
        with pytest.raises(KeyboardInterrupt):
            http.get("http://kartra/interrupt")
        assert http.get("http://kartra/fast").text == "fast"


@pytest.mark.subprocess
def test_an_unclosed_in_process_mock_does_not_keep_the_interpreter_alive() -> None:
    script = (
        "import asyncio\n"
        "from kartra_mock.testing import KartraMock\n"
        "mock = KartraMock.in_process()\n"
        "kartra = mock.client()\n"
        "kartra.create_lead(email='a@example.com')\n"
        "async def from_async():\n"
        "    kartra.create_lead(email='b@example.com')\n"
        "asyncio.run(from_async())\n"
        "assert len(mock.requests()) == 2\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


@pytest.mark.subprocess
@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX only")
def test_a_forked_child_runs_the_app_on_a_loop_of_its_own() -> None:
    seen: list[tuple[threading.Thread, asyncio.AbstractEventLoop]] = []
    transport = SyncASGITransport(_recording_app(seen))
    with httpx.Client(transport=transport) as http:
        http.get("http://kartra/")
        child = os.fork()
        if child == 0:  # pragma: no cover - the child reports through its exit status
            ok = http.get("http://kartra/").text == "ok" and seen[-1][1] is not seen[0][1]
            os._exit(0 if ok else 1)
        _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0

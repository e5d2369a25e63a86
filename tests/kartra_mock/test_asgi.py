"""The sync ASGI transport: sync code reaches an in-process app with no socket."""

from __future__ import annotations

import asyncio
import threading

import httpx

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

"""A PHP receiver, written as Kartra's PHP sample reads the calls, gets what the docs promise.

Webhooks: ``json_decode(file_get_contents("php://input"))``; IPN: ``$_POST``. Served by
``php -S``; the mock is a real server (docs/webhooks.md#wire-shapes).
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kartra_mock import create_app
from kartra_mock.engine.backend import Backend, Overrides
from kartra_mock.server.threaded import ThreadedServer
from kartra_mock.testing import KartraMock
from tests.kartra_mock.server.worlds import world
from tests.serving import free_port

PHP = shutil.which("php")
pytestmark = pytest.mark.skipif(
    PHP is None, reason="php is not installed (the PHP receiver test needs `php -S`)"
)

RECEIVER = r"""<?php
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if ($path === '/kartra/webhook') {
    $data = json_decode(file_get_contents('php://input'), true);
    $got = ['kind' => 'webhook', 'decoded' => $data];
} elseif ($path === '/kartra/ipn') {
    $got = ['kind' => 'ipn', 'post' => $_POST];
} else {
    http_response_code(404);
    return;
}
file_put_contents(__DIR__ . '/received.jsonl', json_encode($got) . "\n", FILE_APPEND | LOCK_EX);
echo 'ok';
"""


@pytest.fixture
def php_receiver(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """``php -S`` on a free port serving the receiver; yields its base URL and its output file."""
    assert PHP is not None
    (tmp_path / "receiver.php").write_text(RECEIVER, encoding="utf-8")
    port = free_port()
    process = subprocess.Popen(
        [PHP, "-S", f"127.0.0.1:{port}", str(tmp_path / "receiver.php")],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"php -S did not start on port {port}")
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}", tmp_path / "received.jsonl"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.socket
@pytest.mark.php
def test_a_php_receiver_decodes_the_webhook_and_the_ipn(php_receiver: tuple[str, Path]) -> None:
    base, output = php_receiver
    backend = Backend(world(), overrides=Overrides(rate_limit=0))
    with ThreadedServer(create_app(backend=backend)) as server:
        mock = KartraMock.remote(server.url)
        try:
            mock.set_outbound(
                {
                    "webhooks": [{"url": base + "/kartra/webhook"}],
                    "ipn": [{"url": base + "/kartra/ipn", "secret_key": "k3y", "product_id": 12}],
                }
            )
            with mock.client() as kartra:
                kartra.assign_tag("VIP", email="bob@example.com")
            mock.trigger("buy_product", "bob@example.com", product_id=12)
            journal = mock.wait_for_deliveries(3, timeout=10)
        finally:
            mock.close()
            backend.sender.close()
    assert [(d["kind"], d["status_code"]) for d in journal] == [
        ("webhook", 200),
        ("webhook", 200),
        ("ipn", 200),
    ]
    got: list[dict[str, Any]] = [json.loads(line) for line in output.read_text().splitlines()]
    hook, sale_hook, ipn = got
    assert hook["kind"] == "webhook"
    assert hook["decoded"]["action"] == "assign_tag"
    assert hook["decoded"]["action_details"]["tag"]["tag_name"] == "VIP"
    assert hook["decoded"]["lead"]["email"] == "bob@example.com"
    assert sale_hook["decoded"]["action"] == "buy_product"
    assert set(sale_hook["decoded"]["action_details"]["product"]) == {
        "product_id",
        "product_name",
        "price_point",
        "transaction_id",
    }
    assert ipn["kind"] == "ipn"
    post = ipn["post"]
    assert post["transaction_type"] == "sale"
    assert post["secret_key"] == "k3y"
    assert post["lead_email"] == "bob@example.com"
    assert post["product_name"] == "Membership"
    assert (
        post["transaction_id"]
        == sale_hook["decoded"]["action_details"]["product"]["transaction_id"]
    )
    assert post["transaction_last_4_card_digits"] == "N/A"
    assert all(isinstance(value, str) for value in post.values())

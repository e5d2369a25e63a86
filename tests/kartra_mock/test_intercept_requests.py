"""``requests`` under interception: the Response is the one ``requests`` builds from a socket.

Every field a caller reads — ``raw``, streaming, headers, ``url``, ``request``, ``elapsed``,
``reason``, ``encoding``, ``history``, ``cookies`` — is compared with the same call over a
real socket.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator

import pytest
import requests

from kartra_mock.engine.backend import Backend
from kartra_mock.server.app import create_app
from kartra_mock.server.threaded import ThreadedServer
from kartra_mock.testing.intercept import intercept
from tests.helpers import DEMO, build_query

pytestmark = pytest.mark.socket

KARTRA = "https://app.kartra.com/api"
BODY = build_query({**DEMO, "actions": [{"cmd": "retrieve_account_tags"}]})
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
#: Headers only a socket server adds (uvicorn's date and name).
SERVER_ONLY = {"date", "server"}


@pytest.fixture(scope="module")
def server() -> Iterator[ThreadedServer]:
    with ThreadedServer(create_app(backend=Backend())) as running:
        yield running


def fields(response: requests.Response) -> dict[str, object]:
    """What a caller reads from a Response, the URL aside."""
    return {
        "status_code": response.status_code,
        "reason": response.reason,
        "headers": {
            name.lower(): value
            for name, value in response.headers.items()
            if name.lower() not in SERVER_ONLY
        },
        "content-type via any case": response.headers["CONTENT-TYPE"],
        "encoding": response.encoding,
        "apparent_encoding": response.apparent_encoding,
        "history": response.history,
        "cookies": response.cookies.get_dict(),
        "request": (type(response.request).__name__, response.request.method),
        "elapsed": type(response.elapsed),
        "ok": response.ok,
        "json": response.json(),
    }


def test_a_response_has_every_field_a_socket_gives(server: ThreadedServer) -> None:
    over_socket = requests.post(server.url + "/api", data=BODY, headers=FORM)
    with intercept(create_app(backend=Backend())):
        in_process = requests.post(KARTRA, data=BODY, headers=FORM)
    assert fields(in_process) == fields(over_socket)
    assert in_process.url == KARTRA
    assert in_process.request.url == KARTRA
    assert isinstance(in_process.elapsed, datetime.timedelta)


@pytest.mark.parametrize("read", ["iter_content", "iter_lines", "raw"])
def test_stream_true_reads_the_body_as_over_a_socket(server: ThreadedServer, read: str) -> None:
    def body(response: requests.Response) -> bytes:
        if read == "iter_content":
            return b"".join(response.iter_content(chunk_size=7))
        if read == "iter_lines":
            return b"\n".join(response.iter_lines())
        return response.raw.read()

    with requests.post(server.url + "/api", data=BODY, headers=FORM, stream=True) as response:
        over_socket = body(response)
    with (
        intercept(create_app(backend=Backend())),
        requests.post(KARTRA, data=BODY, headers=FORM, stream=True) as response,
    ):
        assert response.raw is not None
        in_process = body(response)
    assert in_process == over_socket
    assert json.loads(in_process)["status"] == "Success"


def test_sessions_and_other_hosts(server: ThreadedServer) -> None:
    with intercept(create_app(backend=Backend())), requests.Session() as session:
        answer = session.post(KARTRA, data=BODY, headers=FORM, timeout=(3, 5))
        assert answer.json()["status"] == "Success"
        # Any other host goes out untouched (here, the socket server).
        assert session.get(server.url + "/_mock/health").json()["status"] == "ok"

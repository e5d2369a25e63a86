"""Whatever arrives, the answer is never a 500, a hang or a traceback (docs/behaviour.md#wire, last
bullet).

One real uvicorn server serves the whole module; after every request it must still be healthy.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kartra_mock.engine.backend import Backend, Overrides
from kartra_mock.errors import error_for_type
from kartra_mock.server.app import create_app
from kartra_mock.server.threaded import ThreadedServer
from tests.helpers import DEMO, build_query

pytestmark = pytest.mark.socket

FORM = "application/x-www-form-urlencoded"
MIB = 1024 * 1024
CREDENTIALS = build_query(DEMO).encode()
CONTENT_TYPES: list[str | None] = [
    FORM,
    f"{FORM}; charset=UTF-8",
    "multipart/form-data; boundary=BOUNDARY",
    "multipart/form-data",
    "multipart/form-data; boundary=",
    'multipart/form-data; boundary="unterminated',
    "application/json",
    "application/vnd.kartra+json; charset=latin-1",
    "text/plain",
    None,
    "garbage",
    ";;;=,,",
]
COMMANDS = [
    "create_lead",
    "edit_lead",
    "search_lead",
    "assign_tag",
    "unassign_tag",
    "subscribe_lead_to_list",
    "unsubscribe_lead_from_list",
    "give_points_to_lead",
    "remove_points_from_lead",
    "subscribe_lead_to_sequence_at_step",
    "unsubscribe_lead_from_sequence",
    "calendar_subscribe",
    "calendar_cancel",
    "create_custom_field",
    "retrieve_account_tags",
    "retrieve_account_lists",
    "retrieve_account_sequences",
    "retrieve_custom_fields",
    "retrieve_account_pages",
    "search_transaction",
    "refund_transaction",
    "cancel_transaction",
    "edit_subscription",
    "gdpr_lead_communications",
    "no_such_command",
    "",
]
PARAMETER_NAMES = [
    "id",
    "email",
    "new_email",
    "first_name",
    "phone",
    "custom_fields",
    "field_identifier",
    "field_value",
    "lead_preferred_time_zone",
    "business_type",
    "tag_name",
    "list_name",
    "sequence_name",
    "step",
    "points",
    "calendar_name",
    "class_name",
    "transaction_id",
    "subscription_id",
    "cmd",
    "text1",
    "dropdown1",
    "checkbox1",
    "0",
    "",
]


def flat(type_code: str) -> dict[str, str]:
    """Kartra's flat error envelope for a code, e.g. ``{"status": "Error", ..., "type": "238"}``."""
    return error_for_type(type_code).to_json()


@pytest.fixture(scope="module")
def server() -> Iterator[ThreadedServer]:
    """One real server for the module, rate limit off."""
    with ThreadedServer(create_app(backend=Backend(overrides=Overrides(rate_limit=0)))) as running:
        yield running


@pytest.fixture(scope="module")
def http(server: ThreadedServer) -> Iterator[httpx.Client]:
    """One client for the module, with a generous timeout: a hang fails, it does not block."""
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


@pytest.fixture
def fresh(http: httpx.Client) -> httpx.Client:
    """The module's client, after a reset of the world and the journal."""
    assert http.post("/_mock/reset").status_code == 200
    return http


def post(http: httpx.Client, body: bytes, content_type: str | None = FORM) -> httpx.Response:
    headers = {} if content_type is None else {"Content-Type": content_type}
    return http.post("/api", content=body, headers=headers)


def kartra_answer(response: httpx.Response) -> dict[str, Any]:
    """The JSON answer of a served call; fails on anything else."""
    assert response.status_code == 200, response.content[:500]
    assert b"Traceback" not in response.content
    answer = json.loads(response.content)
    assert isinstance(answer, dict)
    assert "status" in answer, answer
    return answer


def assert_healthy(http: httpx.Client) -> None:
    health = http.get("/_mock/health")
    assert (health.status_code, health.json()["status"]) == (200, "ok")


def last_warnings(http: httpx.Client) -> list[str]:
    """The rule ids of the most recent call's contract warnings."""
    entry = http.get("/_mock/requests").json()["requests"][-1]
    return [warning["rule"] for warning in entry["warnings"]]


# -- generated junk -------------------------------------------------------------------------

# h11 refuses to send a header value with outer whitespace (nothing would receive it anyway).
content_types = st.sampled_from(CONTENT_TYPES) | st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=60
).map(str.strip)
php_text = st.text(st.sampled_from("&=[]%+ab01._ \x00é☃\t"), max_size=400)
php_names = st.lists(
    st.sampled_from(["lead", "actions", "get_lead", "app_id", "[", "]", "[]", "[0]", "%5B", "x"]),
    max_size=12,
).map("".join)


@st.composite
def multipart_bodies(draw: st.DrawFn) -> bytes:
    """Something shaped like multipart/form-data with boundary ``BOUNDARY``, often broken."""
    parts = []
    for name, value in draw(st.lists(st.tuples(php_names, st.binary(max_size=40)), max_size=8)):
        disposition = draw(
            st.sampled_from(
                [
                    f'form-data; name="{name}"',
                    f'form-data; name="{name}"; filename="f.txt"',
                    f"form-data; name={name}",
                    "form-data",
                    "",
                ]
            )
        )
        parts.append(b"--BOUNDARY\r\nContent-Disposition: " + disposition.encode() + b"\r\n\r\n")
        parts.append(value + b"\r\n")
    body = b"".join(parts) + draw(st.sampled_from([b"--BOUNDARY--\r\n", b"--BOUNDARY", b""]))
    cut = draw(st.integers(0, len(body)))
    return body[:cut] if draw(st.booleans()) else body


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(PARAMETER_NAMES) | st.text(max_size=8), children, max_size=4
        )
    ),
    max_leaves=30,
)


@st.composite
def plausible_calls(draw: st.DrawFn) -> dict[str, object]:
    """A call that passes the credential checks and then says odd things to the domain."""
    values = st.text(max_size=12) | st.sampled_from(["1", "612", "620", "a@b.c", "-1", "1e3"])
    nested = st.recursive(
        values,
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(st.sampled_from(PARAMETER_NAMES), children, max_size=3)
        ),
        max_leaves=8,
    )
    lead = draw(st.dictionaries(st.sampled_from(PARAMETER_NAMES), nested, max_size=5))
    actions = draw(
        st.lists(
            st.fixed_dictionaries({"cmd": st.sampled_from(COMMANDS)}).flatmap(
                lambda action: st.dictionaries(
                    st.sampled_from(PARAMETER_NAMES), nested, max_size=3
                ).map(lambda extra: {**extra, **action})
            ),
            max_size=4,
        )
    )
    call: dict[str, object] = {**DEMO, "lead": lead, "actions": actions}
    if draw(st.booleans()):
        call["get_lead"] = draw(st.dictionaries(st.sampled_from(["id", "email"]), nested))
    return call


JUNK = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@JUNK
@given(body=st.binary(max_size=4096), content_type=content_types)
def test_any_bytes_get_a_kartra_answer(
    http: httpx.Client, body: bytes, content_type: str | None
) -> None:
    kartra_answer(post(http, body, content_type))
    assert_healthy(http)


@JUNK
@given(junk=php_text, with_credentials=st.booleans(), content_type=content_types)
def test_php_shaped_junk_gets_a_kartra_answer(
    http: httpx.Client, junk: str, with_credentials: bool, content_type: str | None
) -> None:
    body = junk.encode()
    if with_credentials:
        body = CREDENTIALS + b"&" + body
    kartra_answer(post(http, body, content_type))
    assert_healthy(http)


@JUNK
@given(body=multipart_bodies(), with_credentials=st.booleans())
def test_broken_multipart_gets_a_kartra_answer(
    http: httpx.Client, body: bytes, with_credentials: bool
) -> None:
    response = http.post(
        "/api",
        params=DEMO if with_credentials else None,
        content=body,
        headers={"Content-Type": "multipart/form-data; boundary=BOUNDARY"},
    )
    kartra_answer(response)
    assert_healthy(http)


@JUNK
@given(document=json_values, with_credentials=st.booleans())
def test_any_json_gets_a_kartra_answer(
    http: httpx.Client, document: object, with_credentials: bool
) -> None:
    if with_credentials and isinstance(document, dict):
        document = {**document, **DEMO}
    kartra_answer(post(http, json.dumps(document).encode(), "application/json"))
    assert_healthy(http)


@JUNK
@given(call=plausible_calls(), as_json=st.booleans())
def test_odd_but_well_formed_calls_get_a_kartra_answer(
    http: httpx.Client, call: dict[str, object], as_json: bool
) -> None:
    if as_json:
        response = post(http, json.dumps(call).encode(), "application/json")
    else:
        response = post(http, build_query(call).encode())
    kartra_answer(response)
    assert_healthy(http)


# -- PHP's limits -----------------------------------------------------------------------------


TAGS_CALL = CREDENTIALS + b"&actions%5B0%5D%5Bcmd%5D=retrieve_account_tags"
TAGS_ANSWER = {"status": "Success", "account_tags": ["Customer"]}


def last_params(http: httpx.Client) -> dict[str, Any]:
    """The decoded parameters of the most recent call, as the journal shows them."""
    params: dict[str, Any] = http.get("/_mock/requests").json()["requests"][-1]["params"]
    return params


def test_nesting_deeper_than_64_levels_drops_the_variable(fresh: httpx.Client) -> None:
    body = TAGS_CALL + b"&a" + b"[x]" * 200 + b"=1&lead" + b"[x]" * 200 + b"=1"
    assert kartra_answer(post(fresh, body)) == TAGS_ANSWER
    assert "wire.max-input-nesting-level" in last_warnings(fresh)
    assert set(last_params(fresh)) == {"app_id", "api_key", "api_password", "actions"}
    assert_healthy(fresh)


def test_five_thousand_variables_keep_the_first_thousand(fresh: httpx.Client) -> None:
    body = TAGS_CALL + b"".join(b"&v%d=%d" % (i, i) for i in range(5000))
    assert kartra_answer(post(fresh, body)) == TAGS_ANSWER
    assert "wire.max-input-vars" in last_warnings(fresh)
    params = last_params(fresh)
    assert params["app_id"] == DEMO["app_id"]
    assert "v0" in params
    assert "v4999" not in params
    assert len(params) <= 1001  # $_POST keeps max_input_vars + 1
    assert_healthy(fresh)


def test_five_thousand_variables_past_the_credentials_drop_them(fresh: httpx.Client) -> None:
    body = b"".join(b"v%d=%d&" % (i, i) for i in range(5000)) + TAGS_CALL
    assert kartra_answer(post(fresh, body)) == flat("238")
    assert "wire.max-input-vars" in last_warnings(fresh)
    assert_healthy(fresh)


def test_a_body_past_post_max_size_is_dropped_whole(fresh: httpx.Client) -> None:
    body = CREDENTIALS + b"&pad=" + b"x" * (8 * MIB)
    assert kartra_answer(post(fresh, body)) == flat("238")
    assert "wire.post-max-size" in last_warnings(fresh)
    assert_healthy(fresh)


def test_a_body_past_64_mib_is_refused_with_413(fresh: httpx.Client) -> None:
    chunk = b"x" * MIB

    def stream() -> Iterator[bytes]:
        yield CREDENTIALS + b"&pad="
        for _ in range(65):
            yield chunk

    response = fresh.post("/api", content=stream(), headers={"Content-Type": FORM})
    assert response.status_code == 413
    assert b"Traceback" not in response.content
    assert_healthy(fresh)


def raw_exchange(server: ThreadedServer, head: bytes, body: bytes = b"") -> bytes:
    """Send a request head (and body) over a bare socket; return everything the server sent."""
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(head + body)
        received = b""
        while b"\r\n\r\n" not in received or not _complete(received):
            data = sock.recv(65536)
            if not data:
                break
            received += data
    return received


def _complete(received: bytes) -> bool:
    head, _, rest = received.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(rest) >= int(value)
    return False


def test_a_declared_length_past_64_mib_is_refused_before_the_body(
    server: ThreadedServer, http: httpx.Client
) -> None:
    head = (
        b"POST /api HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: %d\r\n\r\n" % (64 * MIB + 1)
    )
    received = raw_exchange(server, head)
    assert received.startswith(b"HTTP/1.1 413 ")
    assert_healthy(http)


def test_expect_100_continue(server: ThreadedServer, fresh: httpx.Client) -> None:
    body = build_query({**DEMO, "actions": [{"cmd": "retrieve_account_tags"}]}).encode()
    head = (
        b"POST /api HTTP/1.1\r\nHost: x\r\nConnection: close\r\nExpect: 100-continue\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: %d\r\n\r\n" % len(body)
    )
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(head)
        interim = sock.recv(65536)
        assert interim.startswith(b"HTTP/1.1 100 ")
        sock.sendall(body)
        received = b""
        while not _complete(received):
            data = sock.recv(65536)
            if not data:
                break
            received += data
    assert received.startswith(b"HTTP/1.1 200 ")
    answer = json.loads(received.partition(b"\r\n\r\n")[2])
    assert answer["status"] == "Success"
    assert_healthy(fresh)


def test_expect_100_continue_through_httpx(fresh: httpx.Client) -> None:
    body = build_query({**DEMO, "actions": [{"cmd": "retrieve_account_tags"}]})
    response = fresh.post(
        "/api", content=body, headers={"Content-Type": FORM, "Expect": "100-continue"}
    )
    assert kartra_answer(response)["status"] == "Success"


# -- malformed credentials and misplaced scalars --------------------------------------------


def test_invalid_json_drops_the_credentials(fresh: httpx.Client) -> None:
    body = b'{"app_id": "demo-app", "api_key": "demo-key",'
    assert kartra_answer(post(fresh, body, "application/json")) == flat("238")
    assert "wire.invalid-json" in last_warnings(fresh)


@pytest.mark.parametrize(
    ("body", "rules"),
    [
        (
            b"app_id=demo-app&api_key=demo-key&api_password=%ff%fe",
            {"wire.invalid-utf8"},
        ),
        (
            b"app_id=demo-app&api_key=demo-key&api_password=\xff\xfe",
            {"wire.invalid-utf8"},
        ),
        (
            b"app_id=demo-app&api_key=demo-key&api_password=demo%zzpassword%",
            {"wire.invalid-percent-encoding"},
        ),
    ],
    ids=["percent-encoded-bad-utf8", "raw-bad-utf8", "bad-percent-escapes"],
)
def test_a_mangled_password_is_a_wrong_password(
    fresh: httpx.Client, body: bytes, rules: set[str]
) -> None:
    assert kartra_answer(post(fresh, body)) == flat("233")
    assert rules <= set(last_warnings(fresh))


@pytest.mark.parametrize(
    "body",
    [
        b"app_id=%ff%fe&api_key=demo-key&api_password=demo-password",
        b"app_id=%&api_key=%zz&api_password=%%",
        b"app_id=\xc3&api_key=\xed\xa0\x80&api_password=\x00",
    ],
)
def test_mangled_credentials_get_a_flat_kartra_error_or_success(
    fresh: httpx.Client, body: bytes
) -> None:
    answer = kartra_answer(post(fresh, body + b"&actions[0][cmd]=retrieve_account_tags"))
    if answer["status"] == "Error":
        assert set(answer) == {"status", "message", "type"}
        assert answer == flat(answer["type"])
    else:
        assert answer["status"] == "Success"
    assert_healthy(fresh)


@pytest.mark.parametrize(
    ("extra", "type_code"),
    [
        ("lead=x", "223"),
        ("actions=x", "224"),
        ("get_lead=x", "236"),
        ("actions[0]=x", "254"),
        ("lead[email]=a@b.c&actions[0]=create_lead", "254"),
    ],
)
def test_a_scalar_where_an_array_belongs(fresh: httpx.Client, extra: str, type_code: str) -> None:
    assert kartra_answer(post(fresh, CREDENTIALS + b"&" + extra.encode())) == flat(type_code)
    assert fresh.get("/_mock/state").json()["accounts"][0]["leads"] == []


def test_get_with_credentials_in_the_query_string(fresh: httpx.Client) -> None:
    query = build_query({**DEMO, "actions": [{"cmd": "retrieve_account_tags"}]})
    answer = kartra_answer(fresh.get("/api?" + query))
    assert answer["status"] == "Success"
    assert "wire.query-string" in last_warnings(fresh)


def test_get_without_anything_is_a_kartra_error(fresh: httpx.Client) -> None:
    assert kartra_answer(fresh.get("/api/")) == flat("238")


def test_junk_query_string_and_body_together(fresh: httpx.Client) -> None:
    response = fresh.post(
        "/api?%zz[[[=&&=%&" + "a[" * 100 + "=1",
        content=b"\xff\x00&&[]=]",
        headers={"Content-Type": FORM},
    )
    assert kartra_answer(response) == flat("238")
    assert_healthy(fresh)

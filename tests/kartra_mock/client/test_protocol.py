"""The wire as the client sees it, over ``httpx.MockTransport``: requests, odd answers, secrets."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

import httpx
import pytest

from kartra_mock import errors
from kartra_mock.client import (
    AsyncKartraClient,
    KartraClient,
    KartraClientError,
    KartraProtocolError,
    LeadRef,
    RateLimitExceeded,
)
from kartra_mock.client.core import EXCERPT_LENGTH, ClientCore, Credentials, HttpRequest
from tests.kartra_mock.client import DEMO, Mode, close, make_client, settle

pytestmark = pytest.mark.anyio

Handler = Callable[[httpx.Request], httpx.Response]


def answer(
    body: object, status: int = 200, content_type: str = "text/html; charset=UTF-8"
) -> Handler:
    """A server that always answers ``body`` (JSON-encoded unless bytes)."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=raw, headers={"Content-Type": content_type})

    return handler


def sequence(*handlers: Handler) -> tuple[Handler, list[httpx.Request]]:
    """A server that answers with each handler in turn, recording the requests."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handlers[min(len(seen), len(handlers)) - 1](request)

    return handler, seen


CREATED = {
    "status": "Success",
    "actions": [{"create_lead": {"status": "Success", "lead_details": {"id": "1234"}}}],
}


async def test_the_request_is_a_php_form_post_with_the_credentials_first(mode: Mode) -> None:
    handler, seen = sequence(answer(CREATED))
    client = make_client(mode, httpx.MockTransport(handler))
    lead = await settle(client.create_lead(email="ada@example.com", first_name="Ada"))
    await close(client)
    assert lead == LeadRef("1234")
    [request] = seen
    assert (request.method, str(request.url)) == ("POST", "https://app.kartra.com/api")
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.content == (
        b"app_id=demo-app&api_key=demo-key&api_password=demo-password"
        b"&lead%5Bemail%5D=ada%40example.com&lead%5Bfirst_name%5D=Ada"
        b"&actions%5B0%5D%5Bcmd%5D=create_lead"
    )


async def test_json_is_read_whatever_the_content_type(mode: Mode) -> None:
    for content_type in ("text/html; charset=UTF-8", "application/json", "text/plain"):
        client = make_client(mode, httpx.MockTransport(answer(CREATED, content_type=content_type)))
        assert (await settle(client.create_lead(email="a@b.c"))).id == "1234"
        await close(client)
    bom = b"\xef\xbb\xbf" + json.dumps(CREATED).encode()
    client = make_client(mode, httpx.MockTransport(answer(bom)))
    assert (await settle(client.create_lead(email="a@b.c"))).id == "1234"
    await close(client)


@pytest.mark.parametrize(
    ("server", "status", "reason"),
    [
        (answer(b"<html><body>502 Bad Gateway</body></html>", 502), 502, "HTTP 502"),
        (answer(b"<html>Maintenance</html>"), 200, "not JSON"),
        (answer({"message": "hello"}), 200, "no 'status'"),
        (answer(["Success"]), 200, "not a JSON object"),
        (answer(b"not found", 404), 404, "is base_url the /api endpoint?"),
        (answer({"status": "Success"}), 200, "unexpected answer to create_lead"),
        (
            answer({"status": "Success", "actions": [{"create_lead": {"status": "Success"}}]}),
            200,
            "lead_details is not a JSON object",
        ),
        (answer({"status": "Success", "actions": []}), 200, "1 actions were sent but"),
        (
            answer({"status": "Success", "actions": [{"edit_lead": {"status": "Success"}}]}),
            200,
            "should hold one key 'create_lead'",
        ),
    ],
    ids=["html-502", "html-200", "no-status", "list", "404", "flat", "no-id", "no-actions", "key"],
)
async def test_answers_outside_the_protocol_raise_a_protocol_error(
    mode: Mode, server: Handler, status: int, reason: str
) -> None:
    client = make_client(mode, httpx.MockTransport(server))
    with pytest.raises(KartraProtocolError) as caught:
        await settle(client.create_lead(email="a@b.c"))
    await close(client)
    assert isinstance(caught.value, KartraClientError)
    assert caught.value.status_code == status
    assert reason in str(caught.value)


async def test_the_excerpt_is_short(mode: Mode) -> None:
    client = make_client(mode, httpx.MockTransport(answer(b"x" * 5000, 500)))
    with pytest.raises(KartraProtocolError) as caught:
        await settle(client.retrieve_account_tags())
    await close(client)
    assert caught.value.body_excerpt == "x" * EXCERPT_LENGTH + "…"
    assert len(str(caught.value)) < EXCERPT_LENGTH + 200


async def test_an_unknown_error_type_raises_the_catalogue_fallback(mode: Mode) -> None:
    server = answer({"status": "Error", "message": "Something new", "type": "299"})
    client = make_client(mode, httpx.MockTransport(server))
    with pytest.raises(errors.UnknownKartraError) as caught:
        await settle(client.retrieve_account_tags())
    await close(client)
    assert (caught.value.unknown_type_code, caught.value.message) == ("299", "Something new")


async def test_a_type_429_answered_with_http_200_is_retried_too(mode: Mode) -> None:
    too_many = answer({"status": "Error", "message": "Too many requests", "type": "429"})
    handler, seen = sequence(too_many, answer({"status": "Success", "account_tags": []}))
    client = make_client(mode, httpx.MockTransport(handler))
    assert await settle(client.retrieve_account_tags()) == ()
    await close(client)
    assert len(seen) == 2


async def test_http_429_after_the_retries(mode: Mode) -> None:
    server = answer({"status": "Error", "message": "Too many requests", "type": "429"}, 429)
    handler, seen = sequence(server)
    client = make_client(mode, httpx.MockTransport(handler), max_retries=2)
    with pytest.raises(RateLimitExceeded) as caught:
        await settle(client.retrieve_account_tags())
    await close(client)
    assert (len(seen), caught.value.attempts, caught.value.status_code) == (3, 3, 429)


SECRET = "p@ss word+&=s3cret"


def echo(request: httpx.Request) -> httpx.Response:
    """A broken proxy that shows the request it received on its error page."""
    return httpx.Response(500, content=b"<pre>" + request.content + b"</pre>")


async def test_the_password_never_shows(mode: Mode, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="kartra_mock.client")
    too_many = answer({"status": "Error", "message": f"Too many {SECRET}", "type": "429"}, 429)
    handler, _ = sequence(too_many, echo)
    client = make_client(mode, httpx.MockTransport(handler), api_password=SECRET)
    with pytest.raises(KartraProtocolError) as caught:
        await settle(client.create_lead(email="a@b.c"))
    encoded = "p%40ss+word%2B%26%3Ds3cret"  # as the body carries it
    shown = [str(caught.value), repr(caught.value), repr(client), str(client)]
    shown += [record.getMessage() for record in caplog.records]
    assert "api_password=***" in caught.value.body_excerpt
    assert caplog.records, "the client logs its calls"
    assert not [text for text in shown if SECRET in text or encoded in text]
    await close(client)


async def test_a_flat_error_message_is_redacted(mode: Mode) -> None:
    server = answer({"status": "Error", "message": f"bad password {SECRET}", "type": "233"})
    client = make_client(mode, httpx.MockTransport(server), api_password=SECRET)
    with pytest.raises(errors.ApiPasswordInvalid) as caught:
        await settle(client.retrieve_account_tags())
    await close(client)
    assert caught.value.message == "bad password ***"


PASSWORD_INVALID = errors.ApiPasswordInvalid.default_message


async def test_a_short_password_does_not_mangle_kartras_message(mode: Mode) -> None:
    server = answer({"status": "Error", "message": PASSWORD_INVALID, "type": "233"})
    client = make_client(mode, httpx.MockTransport(server), api_password="p")
    with pytest.raises(errors.ApiPasswordInvalid) as caught:
        await settle(client.retrieve_account_tags())
    await close(client)
    assert caught.value.message == PASSWORD_INVALID


async def test_a_password_that_is_a_word_of_kartras_message_leaves_it_whole(mode: Mode) -> None:
    server = answer({"status": "Error", "message": PASSWORD_INVALID, "type": "233"})
    client = make_client(mode, httpx.MockTransport(server), api_password="password")
    with pytest.raises(errors.ApiPasswordInvalid) as caught:
        await settle(client.retrieve_account_tags())
    await close(client)
    assert caught.value.message == PASSWORD_INVALID


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("API password not valid", "API password not valid"),
        ("app_id=a&api_password=p&apple=pp", "app_id=a&api_password=***&apple=pp"),
        ('{"api_password": "p", "x": "happy"}', '{"api_password": "***", "x": "happy"}'),
        ("wrong password: p.", "wrong password: ***."),
    ],
)
def test_redaction_hides_the_value_where_it_stands(text: str, shown: str) -> None:
    core = ClientCore(Credentials("a", "k", "p"), clock=lambda: 0.0)
    assert core.redact(text) == shown


def test_values_that_hold_the_password_do_not_show_it() -> None:
    credentials = Credentials("demo-app", "demo-key", SECRET)
    assert SECRET not in repr(credentials)
    request = HttpRequest(
        "POST", "https://app.kartra.com/api", (), b"api_password=" + SECRET.encode()
    )
    assert SECRET not in repr(request)


async def test_an_injected_http_client_is_not_closed(mode: Mode) -> None:
    transport = httpx.MockTransport(answer(CREATED))
    if mode == "sync":
        with httpx.Client(transport=transport) as http:
            with KartraClient(**DEMO, http_client=http) as client:
                assert client.create_lead(email="a@b.c").id == "1234"
            assert not http.is_closed
    else:
        async with httpx.AsyncClient(transport=transport) as ahttp:
            async with AsyncKartraClient(**DEMO, http_client=ahttp) as aclient:
                assert (await aclient.create_lead(email="a@b.c")).id == "1234"
            assert not ahttp.is_closed


def test_http_client_and_transport_exclude_each_other() -> None:
    with httpx.Client() as http, pytest.raises(ValueError, match="not both"):
        KartraClient(**DEMO, http_client=http, transport=httpx.MockTransport(echo))

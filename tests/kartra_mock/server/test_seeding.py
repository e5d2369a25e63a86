"""Seeding one item: ``POST /_mock/accounts/{api_key}/{kind}`` and ``KartraMock.add_*``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from kartra_mock.engine.backend import Backend, StateError
from kartra_mock.server.app import create_app
from kartra_mock.testing import KartraMock, MockError
from kartra_mock.testing.asgi import SyncASGITransport

URL = "http://kartra-mock.invalid"


class _Counting(httpx.BaseTransport):
    """Counts the requests that reach the app."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.requests: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(f"{request.method} {request.url.path}")
        return self.inner.handle_request(request)


def _handles(backend: Backend, *, direct: bool) -> tuple[KartraMock, _Counting]:
    app = create_app(backend=backend)
    transport = _Counting(SyncASGITransport(app))
    http = httpx.Client(transport=transport, base_url=URL)
    # Without the backend, the handle seeds through the control plane, as a remote one does.
    return KartraMock(http, URL, app=app, backend=backend if direct else None), transport


@pytest.fixture(params=["in-process", "remote"])
def seeded(request: pytest.FixtureRequest) -> Iterator[tuple[KartraMock, _Counting]]:
    backend = Backend({"accounts": [{"api_key": "demo-key", "tags": ["Customer"]}]})
    mock, transport = _handles(backend, direct=request.param == "in-process")
    yield mock, transport
    mock.close()


def _seed_everything(mock: KartraMock) -> list[int]:
    mock.add_tags("VIP", "VIP", "Customer")
    mock.add_lists("Buyers")
    mock.add_custom_field("size", "radio_button", {7: "S", 8: "M"})
    mock.add_sequence("Welcome", ("1", "2"))
    mock.seed("calendars", {"name": "Coaching", "classes": ["Monday"]})
    mock.seed("pages", {"name": "Home"})
    return [
        mock.add_lead("a@example.com", first_name="A", custom_fields={"size": 8}, tags=["VIP"]),
        mock.add_lead("b@example.com", lists=["Buyers"], sequences={"Welcome": "2"}),
        mock.add_lead("c@example.com", id=40),
        mock.add_lead("d@example.com"),
        mock.add_lead("e@example.com", api_key="other"),
    ]


def test_each_kind_adds_its_one_item(seeded: tuple[KartraMock, _Counting]) -> None:
    mock, _ = seeded
    assert _seed_everything(mock) == [1, 2, 40, 41, 1]
    account, other = mock.state()["accounts"]
    assert account["tags"] == ["Customer", "VIP"]
    assert account["lists"] == ["Buyers"]
    assert [f["identifier"] for f in account["custom_fields"]] == ["size"]
    assert account["sequences"] == [{"name": "Welcome", "steps": ["1", "2"]}]
    assert [c["name"] for c in account["calendars"]] == ["Coaching"]
    assert account["pages"] == ["Home"]
    assert [lead["email"] for lead in account["leads"]] == [f"{x}@example.com" for x in "abcd"]
    assert account["leads"][0]["custom_fields"] == {"size": 8}
    assert account["next_id"] == 42
    # A new account starts from the template (the first account's definitions here).
    assert (other["api_key"], other["api_password"], other["tags"]) == (
        "other",
        None,
        ["Customer"],
    )
    with mock.client() as kartra:
        assert kartra.create_lead(email="f@example.com").id == "42"
        assert kartra.get_lead(id=1).custom_fields["size"].option_ids == ("8",)


def test_in_process_and_remote_seeding_build_the_same_world() -> None:
    worlds = []
    for direct in (True, False):
        mock, _ = _handles(Backend(), direct=direct)
        _seed_everything(mock)
        worlds.append(mock.state())
        mock.close()
    assert worlds[0] == worlds[1]


def test_in_process_seeding_makes_no_http_request() -> None:
    mock, transport = _handles(Backend(), direct=True)
    _seed_everything(mock)
    assert transport.requests == []
    mock.close()


BAD: list[tuple[str, dict[str, Any], str]] = [
    ("leads", {"first_name": "A"}, "lead.email: must be a non-empty string"),
    ("leads", {"email": "ada@example.com"}, "lead.email: duplicate lead email"),
    ("leads", {"email": "x@example.com", "id": 1}, "lead.id: duplicate lead id 1"),
    ("leads", {"email": "x@example.com", "tags": ["Nope"]}, "tag 'Nope' is not one of"),
    ("leads", {"email": "x@example.com", "colour": "red"}, "lead: unknown key 'colour'"),
    ("leads", {"email": "x@example.com", "id": 0}, "lead.id: must be an integer from 1"),
    ("leads", {"email": "\ud800@example.com"}, "lead.email: a lone UTF-16 surrogate"),
    ("tags", {"name": ""}, "tag.name: must be a non-empty string"),
    ("lists", {"names": ["x"]}, "list: unknown key 'names'"),
    ("custom_fields", {"identifier": "text1", "type": "input_field"}, "already has"),
    ("custom_fields", {"identifier": "x", "type": "colour"}, "unknown field type 'colour'"),
    ("sequences", {"name": "Welcome", "steps": ["1", "1"]}, "names must be unique"),
    ("calendars", {"name": "C", "complete": "yes"}, "calendar.complete: must be true or false"),
]


@pytest.mark.parametrize(("kind", "item", "reason"), BAD)
def test_a_bad_item_is_a_precise_422_and_changes_nothing(
    kind: str, item: dict[str, Any], reason: str
) -> None:
    backend = Backend()
    backend.seed("demo-key", "leads", {"email": "ada@example.com"})
    before = backend.state()
    with httpx.Client(transport=SyncASGITransport(create_app(backend=backend)), base_url=URL) as c:
        answer = c.post(f"/_mock/accounts/demo-key/{kind}", content=json.dumps(item))
    assert answer.status_code == 422
    assert reason in answer.json()["error"]
    assert backend.state() == before


@pytest.mark.parametrize("item", [{"email": ""}, {"email": "a@example.com", "tags": ["Nope"]}])
def test_a_refused_item_makes_no_account(item: dict[str, Any]) -> None:
    backend = Backend()
    with pytest.raises(StateError):
        backend.seed("new-account", "leads", item)
    assert json.loads(json.dumps(backend.state()))["accounts"][0]["api_key"] == "demo-key"
    assert len(json.loads(json.dumps(backend.state()))["accounts"]) == 1


@pytest.mark.parametrize(("kind", "item", "reason"), BAD)
def test_in_process_seeding_refuses_as_the_control_plane_does(
    kind: str, item: dict[str, Any], reason: str
) -> None:
    mock = KartraMock.in_process()
    mock.add_lead("ada@example.com")
    before = mock.state()
    with pytest.raises(MockError, match="invalid item") as caught:
        mock.seed(kind, item)  # type: ignore[arg-type]  # the kinds of BAD are all valid
    assert reason in str(caught.value)
    assert mock.state() == before
    mock.close()


@pytest.mark.parametrize("body", [b"{", b"[1]", b'"lead"', b"null"])
def test_a_body_that_is_not_an_item_is_a_422(body: bytes) -> None:
    with httpx.Client(transport=SyncASGITransport(create_app()), base_url=URL) as client:
        answer = client.post("/_mock/accounts/demo-key/leads", content=body)
    assert answer.status_code == 422
    assert "error" in answer.json()

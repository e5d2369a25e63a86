"""The inspector at ``/_mock/``, loaded from a real server into headless Chromium.

Each test drives the page the way a developer would: it is open while their code calls
``/api``, and what the calls did must show up on it without a reload.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from kartra_mock.engine.backend import Backend, Overrides
from kartra_mock.server.app import create_app
from kartra_mock.server.threaded import ThreadedServer
from tests.browser.cdp import Page
from tests.helpers import DEMO, Params, build_query

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.socket]

CUSTOM_FIELDS = [
    {"field_identifier": "text1", "field_value": "signed up at the webinar"},
    {"field_identifier": "dropdown1", "field_value": 612},
    {"field_identifier": "checkbox1", "field_value": [620, 621]},
]


def send(server: ThreadedServer, params: Params) -> dict[str, Any]:
    """One PHP-encoded ``/api`` call, as a client's code would make it."""
    response = httpx.post(
        server.url + "/api",
        content=build_query({**DEMO, **params}),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    answer: dict[str, Any] = response.json()
    return answer


def create_lead(server: ThreadedServer, email: str, **fields: object) -> dict[str, Any]:
    return send(server, {"lead": {"email": email, **fields}, "actions": [{"cmd": "create_lead"}]})


def open_inspector(page: Page, url: str) -> None:
    """Load the page and wait for its first successful poll."""
    page.goto(url)
    page.wait_for("document.getElementById('status').classList.contains('live')", "a first poll")


def journal(page: Page) -> list[dict[str, str]]:
    """The calls the page lists, newest first, as the summary line shows them."""
    value = page.evaluate(
        "[...document.querySelectorAll('#journal > details')].filter(d => !d.hidden).map(d => ({"
        " seq: d.dataset.seq, cmd: d.querySelector('.cmd').innerText,"
        " subject: d.querySelector('.subject').innerText,"
        " outcome: d.querySelector('.outcome').innerText, classes: d.className}))"
    )
    assert isinstance(value, list)
    return value


def test_a_create_lead_call_appears_in_the_open_page(page: Page, server: ThreadedServer) -> None:
    open_inspector(page, server.url + "/_mock/")
    assert journal(page) == []
    assert page.evaluate("document.querySelectorAll('#leads tr').length") == 0

    answer = create_lead(server, "ada@example.com", first_name="Ada")
    assert answer["status"] == "Success"

    page.wait_for("document.querySelectorAll('#journal > details').length === 1", "the call")
    [call] = journal(page)
    assert call["seq"] == "1"
    assert call["cmd"] == "create_lead"
    assert call["subject"] == "ada@example.com"
    assert call["outcome"] == "Success"
    page.wait_for("document.querySelectorAll('#leads tr').length === 1", "the new lead's row")
    assert "ada@example.com" in page.text("#leads")
    assert page.errors == []


def test_the_lead_page_shows_its_profile_and_custom_fields(
    page: Page, server: ThreadedServer
) -> None:
    create_lead(server, "grace@example.com", first_name="Grace", custom_fields=CUSTOM_FIELDS)
    send(
        server,
        {
            "lead": {"email": "grace@example.com"},
            "actions": [
                {"cmd": "assign_tag", "tag_name": "Customer"},
                {"cmd": "subscribe_lead_to_list", "list_name": "Newsletter"},
            ],
        },
    )

    open_inspector(page, server.url + "/_mock/#/accounts/demo-key/leads/1")
    page.wait_for("document.querySelector('#lead h3')", "the lead's profile")
    profile = page.text("#lead")
    assert "grace@example.com" in page.text("#lead h3")
    assert "Grace" in profile
    # Fields: the profile, the score and the day it joined; the other keys have their sections.
    fields = page.evaluate(
        "[...document.querySelectorAll('#lead dl')[0].querySelectorAll('dt')].map(n => n.innerText)"
    )
    assert fields == ["first_name", "score", "date_joined"]
    custom = page.evaluate(
        "Object.fromEntries([...document.querySelectorAll('#lead dl')[1].children]"
        ".reduce((pairs, node, i, all) => i % 2 ? pairs : [...pairs, [node.innerText,"
        " all[i + 1].innerText]], []))"
    )
    assert custom == {
        "text1": "signed up at the webinar",
        "dropdown1": "Red (612)",
        "checkbox1": "A (620), B (621)",
    }
    assert "Customer" in profile
    assert "Newsletter" in profile
    assert page.errors == []


def test_the_lead_page_lists_tags_lists_sequences_bookings_and_points(
    page: Page, server: ThreadedServer
) -> None:
    control = server.url + "/_mock/accounts/demo-key/"
    for kind, item in (
        ("lists", {"name": "Buyers"}),
        ("sequences", {"name": "Welcome", "steps": ["1", "2"]}),
        ("sequences", {"name": "Nurture", "steps": ["3"]}),
        ("calendars", {"name": "Coaching", "classes": ["Monday"]}),
    ):
        assert httpx.post(control + kind, json=item).status_code == 200
    lead = {
        "email": "ada@example.com",
        "tags": ["Customer"],
        "lists": {"Newsletter": True, "Buyers": False},
        "sequences": {"Welcome": {"step": "2"}, "Nurture": {"step": "3", "active": False}},
        "calendars": [{"calendar": "Coaching", "class": "Monday", "start": "2030-01-07 10:00"}],
        "expiring_points": [{"points": 5, "expires": "2030-01-01 00:00:00"}],
    }
    assert httpx.post(control + "leads", json=lead).status_code == 200
    httpx.post(control + "leads", json={"email": "bob@example.com"})

    def sections() -> dict[str, list[str]]:
        value = page.evaluate(
            "Object.fromEntries([...document.querySelectorAll('#lead h4')].slice(2).map(h =>"
            " [h.textContent, [...h.parentNode.querySelectorAll('li')].map(li => li.innerText)]))"
        )
        assert isinstance(value, dict)
        return value

    open_inspector(page, server.url + "/_mock/#/accounts/demo-key/leads/1")
    page.wait_for("document.querySelector('#lead h3')", "the lead's profile")
    assert sections() == {
        "Tags": ["Customer"],
        "Lists": ["Newsletter", "Buyers (unsubscribed)"],
        "Sequences": ["Welcome step 2", "Nurture step 3, stopped"],
        "Calendars": ["Coaching · Monday 2030-01-07 10:00"],
        "Expiring points": ["5 until 2030-01-01 00:00:00"],
    }
    # A lead without bookings or expiring points shows neither heading; empty ones say so.
    page.goto(server.url + "/_mock/#/accounts/demo-key/leads/2")
    page.wait_for("document.querySelector('#lead h3').innerText.includes('bob')", "bob")
    assert list(sections()) == ["Tags", "Lists", "Sequences"]
    assert page.text("#lead .columns").count("none") == 3
    assert page.errors == []


def test_search_finds_leads_by_email_or_id(page: Page, server: ThreadedServer) -> None:
    for email in ("ada@example.com", "grace@example.com", "alan@example.org"):
        create_lead(server, email)
    open_inspector(page, server.url + "/_mock/")
    page.wait_for("document.querySelectorAll('#leads tr').length === 3", "three leads")

    def search(text: str) -> list[str]:
        value = page.evaluate(
            f"(() => {{ const box = document.getElementById('search');"
            f" box.value = {json.dumps(text)}; box.dispatchEvent(new Event('input'));"
            " return [...document.querySelectorAll('#leads .email')].map(e => e.innerText); })()"
        )
        assert isinstance(value, list)
        return value

    assert search("EXAMPLE.COM") == ["grace@example.com", "ada@example.com"]
    assert search("3") == ["alan@example.org"]
    assert search("nobody") == []
    assert "No lead matches" in page.text("#leads-empty")

    page.evaluate("document.getElementById('search').value = ''")
    search("grace")
    page.click("#leads tr")
    page.wait_for("location.hash === '#/accounts/demo-key/leads/2'", "the lead's address")
    page.wait_for("document.querySelector('#lead h3')", "the lead's profile")
    assert "grace@example.com" in page.text("#lead h3")


def test_a_call_expands_to_its_parameters_response_and_warnings(
    page: Page, server: ThreadedServer
) -> None:
    open_inspector(page, server.url + "/_mock/")
    create_lead(server, "ada@example.com", favourite_colour="green")
    send(server, {"get_lead": {"email": "nobody@example.com"}})
    page.wait_for("document.querySelectorAll('#journal > details').length === 2", "two calls")

    newest, oldest = journal(page)
    assert newest["cmd"] == "get_lead"
    assert newest["outcome"] == "Error 234: No lead found"
    assert "failed" in newest["classes"].split()
    assert "warned" in oldest["classes"].split()
    assert page.text('#journal details[data-seq="1"] .badge') == "1 warning"

    page.click('#journal details[data-seq="1"] summary')
    assert page.evaluate("document.querySelector('#journal details[data-seq=\"1\"]').open")
    warning = page.evaluate(
        "(() => { const w = document.querySelector('#journal details[data-seq=\"1\"] .warning');"
        " return {rule: w.querySelector('.rule').innerText,"
        " source: w.querySelector('.source').innerText,"
        " detail: w.querySelector('.detail').innerText,"
        " reference: w.querySelector('.reference').innerText}; })()"
    )
    assert warning == {
        "rule": "lead.unknown-field",
        "source": "documented",
        "detail": "lead[favourite_colour] is not a lead field",
        "reference": "source: docs/behaviour.md#lead-fields",
    }
    params = page.evaluate(
        "Object.fromEntries([...document.querySelectorAll("
        "'#journal details[data-seq=\"1\"] table.params tr')]"
        ".map(r => [r.cells[0].innerText, r.cells[1].innerText]))"
    )
    assert params["lead[email]"] == "ada@example.com"
    assert params["lead[favourite_colour]"] == "green"
    assert params["actions[0][cmd]"] == "create_lead"
    assert params["api_password"] == "[redacted]"
    response = page.text('#journal details[data-seq="1"] pre.response')
    assert json.loads(response)["actions"][0]["create_lead"]["lead_details"]["id"] == "1"
    assert page.errors == []


def test_delete_lead_button(page: Page, server: ThreadedServer, backend: Backend) -> None:
    create_lead(server, "ada@example.com")
    open_inspector(page, server.url + "/_mock/#/accounts/demo-key/leads/1")
    page.wait_for("document.querySelector('#lead .danger')", "the delete button")

    page.click("#lead .danger")
    page.wait_for("document.querySelector('#lead .badge.off')", "the deleted badge")
    assert page.dialogs == ["Delete lead #1 (ada@example.com)? Kartra keeps it, marked deleted."]
    state: dict[str, Any] = backend.state()
    assert state["accounts"][0]["leads"][0]["deleted"] is True
    assert page.evaluate("document.querySelector('#lead .danger').disabled") is True
    assert page.errors == []


def test_reset_account_button_empties_leads_and_journal(
    page: Page, server: ThreadedServer, backend: Backend
) -> None:
    create_lead(server, "ada@example.com")
    open_inspector(page, server.url + "/_mock/#/accounts/demo-key")
    page.wait_for("document.querySelectorAll('#journal > details').length === 1", "the call")

    page.click("#reset-account")
    page.wait_for("document.querySelectorAll('#journal > details').length === 0", "no calls")
    page.wait_for("document.querySelectorAll('#leads tr').length === 0", "no leads")
    assert "reset account demo-key" in page.dialogs[0].lower()
    state: dict[str, Any] = backend.state()
    assert state["accounts"][0]["leads"] == []
    assert backend.journal() == []
    assert page.errors == []


def test_a_reset_made_elsewhere_shows_without_a_reload(page: Page, server: ThreadedServer) -> None:
    create_lead(server, "ada@example.com")
    open_inspector(page, server.url + "/_mock/")
    page.wait_for("document.querySelectorAll('#journal > details').length === 1", "the call")

    httpx.post(server.url + "/_mock/reset")  # as a test suite's fixture does between tests
    page.wait_for("document.querySelectorAll('#journal > details').length === 0", "no calls")
    page.wait_for("document.querySelectorAll('#leads tr').length === 0", "no leads")
    create_lead(server, "grace@example.com")
    page.wait_for("document.querySelectorAll('#journal > details').length === 1", "the new call")
    assert journal(page)[0]["subject"] == "grace@example.com"


def test_lead_data_is_shown_as_text_never_run(page: Page, server: ThreadedServer) -> None:
    attack = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'
    create_lead(
        server,
        "mallory@example.com",
        first_name=attack,
        custom_fields=[{"field_identifier": "text1", "field_value": attack}],
    )
    open_inspector(page, server.url + "/_mock/#/accounts/demo-key/leads/1")
    page.wait_for("document.querySelector('#lead h3')", "the lead's profile")
    page.click("#journal details summary")

    assert page.evaluate("window.pwned === undefined")
    assert page.evaluate("document.querySelectorAll('img, main script').length") == 0
    assert page.text("#lead").count(attack) == 2
    assert attack in page.text("#leads")
    assert page.errors == []


def test_with_an_admin_token_the_page_sends_it(page: Page) -> None:
    backend = Backend(overrides=Overrides(rate_limit=0))
    with ThreadedServer(create_app(backend=backend, admin_token="s3cret")) as server:
        page.goto(server.url + "/_mock/")
        page.wait_for("document.getElementById('status').classList.contains('locked')", "401")
        assert "?token=" in page.text("#notice")
        # The journal could not be read: the page must not claim it is empty.
        assert page.evaluate("document.getElementById('journal-empty').hidden") is True

        open_inspector(page, server.url + "/_mock/?token=s3cret")
        assert page.evaluate("location.search") == ""  # out of the address bar
        assert page.evaluate("sessionStorage.getItem('kartra-mock-admin-token')") == "s3cret"
        create_lead(server, "ada@example.com")
        page.wait_for("document.querySelectorAll('#journal > details').length === 1", "the call")
    assert page.errors == []


def test_a_realistic_session_screenshot(
    page: Page, server: ThreadedServer, artifacts: Path
) -> None:
    """The README's picture: a few sign-ups, a contract warning, an error; one lead open."""
    create_lead(
        server,
        "ada@example.com",
        first_name="Ada",
        last_name="Lovelace",
        phone="555-0100",
        custom_fields=CUSTOM_FIELDS,
    )
    send(
        server,
        {
            "lead": {"email": "ada@example.com"},
            "actions": [
                {"cmd": "assign_tag", "tag_name": "Customer"},
                {"cmd": "subscribe_lead_to_list", "list_name": "Newsletter"},
            ],
        },
    )
    create_lead(
        server,
        "grace@example.com",
        first_name="Grace",
        last_name="Hopper",
        custom_fields=[{"field_identifier": "dropdown1", "field_value": 613}],
    )
    create_lead(server, "alan@example.org", first_name="Alan", company_name="Bletchley")
    send(server, {"get_lead": {"email": "katherine@example.com"}})
    open_inspector(page, server.url + "/_mock/#/accounts/demo-key/leads/1")
    page.wait_for("document.querySelectorAll('#journal > details').length === 5", "five calls")
    page.wait_for("document.querySelector('#lead h3')", "Ada's profile")
    page.click('#journal details[data-seq="4"] summary')

    target = artifacts / "inspector.png"
    page.screenshot(target)
    assert target.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert page.errors == []


def test_the_journal_filters_by_text_and_account_and_counts_what_it_shows(
    page: Page, server: ThreadedServer
) -> None:
    create_lead(server, "ada@example.com")
    create_lead(server, "bob@example.com")
    send(
        server,
        {
            "api_key": "other-key",
            "lead": {"email": "carol@example.com"},
            "actions": [{"cmd": "create_lead"}],
        },
    )
    open_inspector(page, server.url + "/_mock/#/accounts/demo-key")
    page.wait_for("document.querySelectorAll('#journal > details').length === 3", "the calls")
    assert page.text("#journal-count") == "3"

    def subjects() -> list[str]:
        return [call["subject"] for call in journal(page)]

    page.evaluate(
        "(() => { const box = document.getElementById('filter'); box.value = ' BOB ';"
        " box.dispatchEvent(new Event('input')); })()"
    )
    assert subjects() == ["bob@example.com"]
    assert page.text("#journal-count") == "1 of 3"
    page.evaluate(
        "(() => { const box = document.getElementById('filter'); box.value = '';"
        " box.dispatchEvent(new Event('input')); })()"
    )
    page.evaluate("document.getElementById('this-account').click()")
    assert subjects() == ["bob@example.com", "ada@example.com"]
    assert page.text("#journal-count") == "2 of 3"
    assert page.errors == []


def test_a_failed_action_inside_a_success_is_shown_as_a_problem(
    page: Page, server: ThreadedServer
) -> None:
    open_inspector(page, server.url + "/_mock/")
    assert page.evaluate("document.getElementById('journal-empty').hidden") is False
    send(
        server,
        {
            "lead": {"email": "ada@example.com"},
            "actions": [{"cmd": "create_lead"}, {"cmd": "assign_tag", "tag_name": "Nope"}],
        },
    )
    create_lead(server, "bob@example.com")
    page.wait_for("document.querySelectorAll('#journal > details').length === 2", "the calls")
    page.evaluate("document.getElementById('problems').click()")
    [call] = journal(page)
    assert call["subject"] == "ada@example.com"
    assert call["outcome"].startswith("Success, but 1 of 2 actions failed: assign_tag Error 212")
    assert "partial" in call["classes"]
    assert page.errors == []

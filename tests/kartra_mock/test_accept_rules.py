"""Accepting chosen contract rules: reported as accepted everywhere, never silenced."""

from __future__ import annotations

import json

import httpx
import pytest

from contracts import check_client
from kartra_mock.cli import main
from kartra_mock.engine.backend import Backend, Overrides, StateError
from kartra_mock.engine.state import DEFAULT_DOCUMENT
from kartra_mock.protocol.rules import RULE_IDS, UnknownRuleError, check_rule_ids
from kartra_mock.testing import KartraMock
from kartra_mock.testing.asgi import SyncASGITransport
from kartra_mock.testing.report import summarize
from tests.contracts.wrong_clients import CredentialsInQueryString, adapting

#: What a WordPress plugin sends (tests/data/third-party-clients.jsonl): a JSON body, and the
#: credentials again in the query string.
PLUGIN_URL = "/api?app_id=demo-app&api_key=demo-key&api_password=demo-password"
PLUGIN_BODY = {
    "app_id": "demo-app",
    "api_key": "demo-key",
    "api_password": "demo-password",
    "actions": [{"cmd": "retrieve_account_lists"}],
}
PLUGIN_RULES = ["wire.json-body", "wire.query-string"]


def _plugin_call(mock: KartraMock) -> list[dict[str, object]]:
    assert mock.app is not None
    with httpx.Client(transport=SyncASGITransport(mock.app), base_url=mock.url) as http:
        assert http.post(PLUGIN_URL, json=PLUGIN_BODY).status_code == 200
    warnings: list[dict[str, object]] = mock.requests()[-1]["warnings"]
    return warnings


def test_an_unknown_rule_is_a_clear_error_listing_the_valid_ones() -> None:
    with pytest.raises(UnknownRuleError) as caught:
        check_rule_ids(["wire.json-body", "wire.jsn-body"])
    message = str(caught.value)
    assert "'wire.jsn-body'" in message
    assert all(rule in message for rule in RULE_IDS)


def test_accepted_rules_are_marked_not_dropped() -> None:
    mock = KartraMock.in_process(accept_rules=frozenset(PLUGIN_RULES))
    try:
        warnings = _plugin_call(mock)
        assert sorted((w["rule"], w["accepted"]) for w in warnings) == [
            ("wire.json-body", True),
            ("wire.query-string", True),
        ]
        assert mock.warnings() == []
        assert [w["rule"] for w in mock.accepted_warnings()] == sorted(PLUGIN_RULES)
    finally:
        mock.close()


def test_without_accepting_the_same_call_warns() -> None:
    mock = KartraMock.in_process()
    try:
        assert {(w["rule"], w["accepted"]) for w in _plugin_call(mock)} == {
            ("wire.json-body", False),
            ("wire.query-string", False),
        }
    finally:
        mock.close()


def test_the_state_document_accepts_rules_and_round_trips() -> None:
    document = json.loads(json.dumps(DEFAULT_DOCUMENT))
    document["settings"]["accept_rules"] = ["wire.query-string"]
    backend = Backend(document, overrides=Overrides(accept_rules=frozenset({"wire.json-body"})))
    settings = backend.state()["settings"]
    assert isinstance(settings, dict)
    assert settings["accept_rules"] == sorted(PLUGIN_RULES)
    assert Backend(backend.state()).state() == backend.state()


def test_the_state_document_refuses_an_unknown_rule() -> None:
    document = json.loads(json.dumps(DEFAULT_DOCUMENT))
    document["settings"]["accept_rules"] = ["nope"]
    with pytest.raises(StateError, match=r"settings.accept_rules: unknown contract rule 'nope'"):
        Backend(document)


def test_serve_refuses_an_unknown_rule(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["serve", "--accept-rule", "nope"])
    assert caught.value.code == 2
    error = capsys.readouterr().err
    assert "unknown contract rule 'nope'" in error
    assert "wire.query-string" in error


def test_the_report_lists_accepted_warnings_apart_and_does_not_fail_on_them() -> None:
    entries = [
        {
            "params": {},
            "status_code": 200,
            "warnings": [
                {
                    "rule": "wire.json-body",
                    "source": "observed",
                    "reference": "r",
                    "detail": "d",
                    "accepted": True,
                },
            ],
        },
    ]
    report = summarize(entries)
    assert report.warnings == []
    assert [(w.rule, w.count) for w in report.accepted] == [("wire.json-body", 1)]
    assert "accepted contract warnings" in report.render()
    assert report.to_json()["accepted_warnings"] == [
        {
            "rule": "wire.json-body",
            "source": "observed",
            "reference": "r",
            "count": 1,
            "example": "d",
        }
    ]


def test_check_client_accepts_chosen_rules_and_reports_them() -> None:
    report = check_client(
        adapting(CredentialsInQueryString),
        rules=["leads.create-and-read"],
        accept=["wire.query-string"],
        resilience=False,
    )
    assert report.ok, report.render()
    assert report.accepted["wire.query-string"] > 0
    assert "accepted contract warnings: wire.query-string" in report.render()


def test_check_client_refuses_an_unknown_rule() -> None:
    with pytest.raises(ValueError, match="unknown contract rule 'nope'"):
        check_client(adapting(CredentialsInQueryString), accept=["nope"])


PLUGIN_TEST = """
import httpx
import pytest

URL = "https://app.kartra.com/api?app_id=demo-app&api_key=demo-key&api_password=demo-password"
BODY = {"app_id": "demo-app", "api_key": "demo-key", "api_password": "demo-password",
        "actions": [{"cmd": "retrieve_account_lists"}]}

@pytest.mark.kartra(accept_rules=["wire.json-body"])
def test_plugin_call(kartra_inprocess):
    assert httpx.post(URL, json=BODY).status_code == 200
"""


@pytest.mark.subprocess
@pytest.mark.slow
def test_the_plugin_accepts_by_marker_and_option_and_lists_them(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(PLUGIN_TEST)
    failed = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--kartra-fail-on-warnings")
    failed.assert_outcomes(passed=1, errors=1)
    failed.stdout.fnmatch_lines(["*wire.query-string*"])
    assert "- wire.json-body" not in failed.stdout.str()
    passed = pytester.runpytest_subprocess(
        "-p",
        "no:cacheprovider",
        "--kartra-fail-on-warnings",
        "--kartra-accept-rule",
        "wire.query-string",
    )
    passed.assert_outcomes(passed=1)
    passed.stdout.fnmatch_lines(
        ["*kartra-mock: accepted contract warnings*", "*1  wire.json-body", "*1  wire.query-string"]
    )


@pytest.mark.subprocess
@pytest.mark.slow
def test_the_plugin_refuses_an_unknown_rule(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(PLUGIN_TEST.replace('"wire.json-body"', '"wire.jsonbody"'))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*unknown contract rule 'wire.jsonbody'*wire.json-body*"])

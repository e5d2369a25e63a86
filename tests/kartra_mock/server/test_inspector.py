"""The inspector's server side, without a browser: its files, ``since`` and the clears header.

(The page itself runs in Chromium in ``tests/browser``.)
"""

from __future__ import annotations

import fnmatch
import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from kartra_mock.engine.backend import ApiRequest, Backend, Overrides
from kartra_mock.engine.faults import parse_schedule
from kartra_mock.protocol.facts import PROFILE_FIELDS
from kartra_mock.server.app import create_app
from kartra_mock.server.control import JOURNAL_CLEARS_HEADER
from kartra_mock.server.inspector import INSPECTOR_PATHS
from tests.helpers import DEMO, Api

ROOT = Path(__file__).parents[3]
FILES = ROOT / "kartra_mock" / "server" / "inspector"


@pytest.mark.parametrize(
    ("path", "name", "media_type"),
    [
        ("/_mock/", "index.html", "text/html; charset=utf-8"),
        ("/_mock/inspector.js", "inspector.js", "text/javascript; charset=utf-8"),
        ("/_mock/inspector.css", "inspector.css", "text/css; charset=utf-8"),
        ("/_mock/webhooks.js", "webhooks.js", "text/javascript; charset=utf-8"),
    ],
)
def test_the_page_and_its_files_are_served(api: Api, path: str, name: str, media_type: str) -> None:
    response = api.http.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == media_type
    expected = (FILES / name).read_bytes()
    if name == "index.html":
        expected = expected.replace(b"{profile_fields}", " ".join(PROFILE_FIELDS).encode())
    assert response.content == expected
    # Lead data is attacker-controlled: only the page's own script may run.
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"


def test_the_page_names_the_profile_fields_for_its_script(api: Api) -> None:
    """The script tells a lead's profile from its other keys by the page's list, filled in
    from ``PROFILE_FIELDS``: the one home of the documented fields."""
    page = api.http.get("/_mock/").text
    named = re.findall(r'<meta name="kartra-profile-fields" content="([^"]*)">', page)
    assert named == [" ".join(PROFILE_FIELDS)]
    script = (FILES / "inspector.js").read_text(encoding="utf-8")
    assert 'meta[name="kartra-profile-fields"]' in script


def test_mock_without_the_slash_leads_to_the_page(api: Api) -> None:
    response = api.http.get("/_mock", follow_redirects=False)
    assert response.status_code in (307, 308)
    assert response.headers["location"].endswith("/_mock/")


def test_the_page_loads_only_its_own_files() -> None:
    page = (FILES / "index.html").read_text(encoding="utf-8")
    sources = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert sorted(sources) == ["data:,", "inspector.css", "inspector.js", "webhooks.js"]
    assert "<script>" not in page  # no inline script: the CSP would block it anyway
    assert {
        "/_mock/inspector.js",
        "/_mock/inspector.css",
        "/_mock/webhooks.js",
        "/_mock/",
    } == INSPECTOR_PATHS


SCRIPTS = ["inspector.js", "webhooks.js"]


@pytest.mark.parametrize("name", SCRIPTS)
def test_the_script_uses_only_elements_the_page_has(name: str) -> None:
    page = (FILES / "index.html").read_text(encoding="utf-8")
    script = (FILES / name).read_text(encoding="utf-8")
    wanted = set(re.findall(r'\$\("([\w-]+)"\)', script))
    have = set(re.findall(r'id="([\w-]+)"', page))
    assert wanted, "the script looks its elements up with $(id)"
    assert wanted - have == set()


@pytest.mark.parametrize("name", SCRIPTS)
def test_the_script_never_parses_data_as_html(name: str) -> None:
    script = (FILES / name).read_text(encoding="utf-8")
    code = "\n".join(line for line in script.splitlines() if not line.lstrip().startswith("//"))
    assert re.findall(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(", code) == []


def test_package_data_lists_every_inspector_file() -> None:
    """``pip install .`` (not editable) installs only what pyproject's package-data lists."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["kartra_mock"]
    files = sorted(path.relative_to(ROOT / "kartra_mock").as_posix() for path in FILES.iterdir())
    assert [Path(f).name for f in files] == [
        "index.html",
        "inspector.css",
        "inspector.js",
        "webhooks.js",
    ]
    assert [f for f in files if not any(fnmatch.fnmatch(f, p) for p in patterns)] == []


def test_an_admin_token_guards_the_data_not_the_page() -> None:
    with TestClient(create_app(admin_token="s3cret")) as http:
        for path in sorted(INSPECTOR_PATHS):
            assert http.get(path).status_code == 200, path
        assert http.get("/_mock/requests").status_code == 401
        assert http.get("/_mock/state").status_code == 401


# --- GET /_mock/requests?since=SEQ ------------------------------------------------------


def seqs(api: Api, **query: str) -> list[int]:
    response = api.http.get("/_mock/requests", params=query)
    assert response.status_code == 200, response.text
    return [entry["seq"] for entry in response.json()["requests"]]


def test_since_lists_only_later_calls(api: Api) -> None:
    for email in ("a@example.com", "b@example.com", "c@example.com"):
        api.create(email)
    assert seqs(api) == [1, 2, 3]
    assert seqs(api, since="0") == [1, 2, 3]
    assert seqs(api, since="1") == [2, 3]
    assert seqs(api, since="3") == []
    assert seqs(api, since="99") == []


def test_since_combines_with_the_account_filter() -> None:
    api = Api({"auth": "open", "accounts": [{"api_key": "a"}, {"api_key": "b"}]})
    try:
        for key in ("a", "b", "a", "b"):
            api.call({"actions": [{"cmd": "retrieve_account_tags"}]}, credentials={"api_key": key})
        assert seqs(api, api_key="a", since="1") == [3]
        assert seqs(api, api_key="b", since="1") == [2, 4]
        assert seqs(api, api_key="b", since="4") == []
    finally:
        api.close()


def test_since_older_than_the_kept_calls_lists_all_kept() -> None:
    backend = Backend(overrides=Overrides(rate_limit=0), journal_limit=2)
    for _ in range(3):
        backend.handle(
            ApiRequest(params={**DEMO, "actions": {"0": {"cmd": "retrieve_account_tags"}}})
        )
    with TestClient(create_app(backend=backend)) as http:

        def kept(since: str) -> list[int]:
            answer = http.get("/_mock/requests", params={"since": since}).json()
            return [entry["seq"] for entry in answer["requests"]]

        assert kept("0") == [2, 3]
        assert kept("1") == [2, 3]
        assert kept("2") == [3]


@pytest.mark.parametrize("since", ["-1", "x", "1.5", "", " 1", "١", "1" * 30])
def test_a_bad_since_is_422_and_says_why(api: Api, since: str) -> None:
    api.create("a@example.com")
    response = api.http.get("/_mock/requests", params={"since": since})
    assert response.status_code == 422
    assert "since must be a journal seq" in response.json()["error"]
    assert seqs(api) == [1]


def test_the_clears_header_counts_forgetting(api: Api) -> None:
    def clears() -> str:
        return str(api.http.get("/_mock/requests").headers[JOURNAL_CLEARS_HEADER])

    api.create("a@example.com")
    assert clears() == "0"
    api.http.delete("/_mock/requests")
    assert clears() == "1"
    api.http.post("/_mock/reset")
    assert clears() == "2"
    api.http.post("/_mock/reset", params={"api_key": "demo-key"})
    assert clears() == "3"
    api.create("b@example.com")  # a new call forgets nothing
    assert clears() == "3"


# --- how the page reads a call's outcome (its pure part, run in node) -------------------------


def _outcomes(entries: list[dict[str, object]]) -> list[dict[str, object]]:
    """The script's ``outcome()`` of each journal entry, computed by node."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (the page's own logic runs in tests/browser too)")
    script = (FILES / "inspector.js").read_text(encoding="utf-8")
    start = script.index("  // ---- outcome (pure")
    end = script.index("  // ---- end outcome")
    program = (
        "const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);\n"
        + script[start:end]
        + "\nconst entries = JSON.parse(require('fs').readFileSync(0, 'utf8'));\n"
        + "process.stdout.write(JSON.stringify(entries.map(outcome)));\n"
    )
    done = subprocess.run(
        [node, "-e", program], input=json.dumps(entries), capture_output=True, text=True, check=True
    )
    result: list[dict[str, object]] = json.loads(done.stdout)
    return result


def _journal(backend: Backend, *calls: dict[str, object]) -> list[dict[str, object]]:
    for params in calls:
        backend.handle(ApiRequest({**DEMO, **params}))  # type: ignore[dict-item]
    return [entry.to_json() for entry in backend.journal()]


CREATE = {"lead": {"email": "ada@example.com"}, "actions": {"0": {"cmd": "create_lead"}}}


@pytest.mark.node
def test_a_chain_whose_action_failed_is_a_problem_not_a_green_success() -> None:
    backend = Backend(overrides=Overrides(rate_limit=0))
    entries = _journal(
        backend,
        {
            "lead": {"email": "ada@example.com"},
            "actions": {
                "0": {"cmd": "create_lead"},
                "1": {"cmd": "assign_tag", "tag_name": "Nope"},
            },
        },
        {"lead": {"email": "ada@example.com"}, "actions": {"0": {"cmd": "assign_tag"}}},
    )
    chain, single = _outcomes(entries)
    assert (chain["kind"], chain["ok"], chain["problem"]) == ("partial", False, True)
    assert chain["text"] == (
        "Success, but 1 of 2 actions failed: assign_tag Error 212: Tag does not exist"
    )
    assert (single["kind"], single["problem"]) == ("partial", True)
    assert str(single["text"]).startswith("Success, but 1 of 1 action failed: assign_tag Error")


@pytest.mark.node
def test_faults_and_the_rate_limit_say_what_happened() -> None:
    backend = Backend(overrides=Overrides(rate_limit=0))
    for fault in (
        {"kind": "drop"},
        {"kind": "server_error", "status": 503},
        {"kind": "rate_limit"},
        {"kind": "kartra_error", "type": "245"},
        {"kind": "latency", "latency_ms": 1},
    ):
        backend.schedule_fault(parse_schedule(fault))
    dropped, server, limited, kartra, slow = _outcomes(_journal(backend, *[CREATE] * 5))
    assert (dropped["kind"], dropped["text"]) == (
        "dropped",
        "no answer: connection dropped (injected fault)",
    )
    assert "HTTP 0" not in str(dropped["text"])
    assert (server["kind"], server["text"]) == (
        "error",
        "HTTP 503 server error (injected fault)",
    )
    assert (limited["kind"], limited["text"]) == (
        "limited",
        "HTTP 429 rate limited (injected fault)",
    )
    assert (kartra["kind"], kartra["text"]) == (
        "error",
        "Error 245: Lead is deleted (injected fault)",
    )
    assert (slow["kind"], slow["problem"]) == ("ok", False)


@pytest.mark.node
def test_a_client_error_status_is_not_called_a_server_error() -> None:
    (entry,) = _outcomes([{"status_code": 413, "response": {}, "warnings": [], "fault": None}])
    assert (entry["kind"], entry["text"]) == ("error", "HTTP 413")


@pytest.mark.node
def test_warnings_make_a_problem_unless_accepted() -> None:
    warned = {"lead": {"email": "a@example.com", "colour": "red"}, **{"actions": CREATE["actions"]}}
    plain = Backend(overrides=Overrides(rate_limit=0))
    accepting = Backend(
        overrides=Overrides(rate_limit=0, accept_rules=frozenset({"lead.unknown-field"}))
    )
    (flagged,) = _outcomes(_journal(plain, warned))
    (accepted,) = _outcomes(_journal(accepting, warned))
    assert (flagged["kind"], flagged["warnings"], flagged["problem"]) == ("ok", 1, True)
    assert (accepted["warnings"], accepted["accepted"], accepted["problem"]) == (0, 1, False)


def test_the_empty_journal_message_waits_for_the_journal() -> None:
    page = (FILES / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<p id="journal-empty" class="empty" hidden>', page)
    script = (FILES / "inspector.js").read_text(encoding="utf-8")
    assert '$("journal-empty").hidden = total > 0 || !journalRead;' in script

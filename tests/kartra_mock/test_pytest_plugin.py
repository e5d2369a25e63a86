"""The pytest plugin, black-box: write a test file, run pytest on it, check outcomes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.helpers import WITHOUT_HYPOTHESIS

# Each test runs pytest in a child process, as a user's suite runs the plugin.
pytestmark = [pytest.mark.subprocess, pytest.mark.slow]

PLUGIN_PAGE = Path(__file__).parents[2] / "docs" / "pytest-plugin.md"


def run(pytester: pytest.Pytester, source: str, *args: str) -> pytest.RunResult:
    pytester.makepyfile(source)
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)


def test_each_test_gets_a_clean_in_process_mock(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        def test_one(kartra_inprocess):
            lead_id = kartra_inprocess.add_lead("ada@example.com", first_name="Ada")
            with kartra_inprocess.client() as kartra:
                assert kartra.search_lead(email="ADA@example.com").id == str(lead_id)

        def test_two_sees_nothing_of_test_one(kartra_inprocess):
            assert kartra_inprocess.state()["accounts"][0]["leads"] == []
            with kartra_inprocess.client() as kartra:
                assert kartra.create_lead(email="ada@example.com").id == "1"
        """,
    )
    result.assert_outcomes(passed=2)


def test_the_old_fixture_name_still_works_and_warns(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        def test_old_name(kartra_mock):
            with kartra_mock.client() as kartra:
                assert kartra.create_lead(email="old@example.com").id == "1"

        def test_new_name(kartra_inprocess):
            with kartra_inprocess.client() as kartra:
                assert kartra.create_lead(email="new@example.com").id == "1"
        """,
        "-W",
        "error::DeprecationWarning",
        "-rA",
    )
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at setup of test_old_name*",
            "*DeprecationWarning: the kartra_mock fixture is deprecated: use kartra_inprocess*",
        ]
    )
    result.stdout.no_fnmatch_line("*ERROR at setup of test_new_name*")


def test_the_old_fixture_name_gives_the_same_mock(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        import pytest

        @pytest.mark.filterwarnings("ignore::DeprecationWarning")
        def test_same(kartra_mock, kartra_inprocess, kartra_client):
            assert kartra_mock is kartra_inprocess
            kartra_client.create_lead(email="same@example.com")
            assert len(kartra_mock.requests()) == 1
        """,
    )
    result.assert_outcomes(passed=1)


def test_seed_helpers_and_the_journal(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        import pytest
        from kartra_mock.errors import LeadDeleted

        def test_seed(kartra_inprocess):
            kartra_inprocess.add_tags("VIP")
            kartra_inprocess.add_lists("Buyers")
            kartra_inprocess.add_custom_field("colour", "drop_down", {1: "red", 2: "blue"})
            lead_id = kartra_inprocess.add_lead("g@example.com", custom_fields={"colour": 2})
            with kartra_inprocess.client() as kartra:
                chain = kartra.chain(id=lead_id).assign_tag("VIP")
                result = chain.subscribe_lead_to_list("Buyers").send()
                assert result.ok
                profile = kartra.get_lead(id=lead_id)
            assert profile.tags == ("VIP",)
            kartra_inprocess.delete_lead(lead_id)
            with kartra_inprocess.client() as kartra, pytest.raises(LeadDeleted):
                kartra.search_lead(id=lead_id)
            assert [e["response"]["status"] for e in kartra_inprocess.requests()] == [
                "Success", "Success", "Error"]
        """,
    )
    result.assert_outcomes(passed=1)


def test_httpx_and_requests_calls_to_kartra_reach_the_mock(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        import httpx, requests, anyio

        CREDS = {"app_id": "demo-app", "api_key": "demo-key", "api_password": "demo-password"}

        def signup(email):  # "code under test": knows nothing of the mock
            return httpx.post("https://app.kartra.com/api", data={
                **CREDS, "lead[email]": email, "actions[0][cmd]": "create_lead"}).json()

        def test_httpx_sync(kartra_inprocess):
            answer = signup("a@example.com")
            assert answer["actions"][0]["create_lead"]["lead_details"] == {"id": "1"}
            assert kartra_inprocess.requests()[0]["params"]["lead"] == {"email": "a@example.com"}

        def test_httpx_async(kartra_inprocess):
            async def main():
                async with httpx.AsyncClient() as http:
                    r = await http.post("https://app.kartra.com/api/", data={
                        **CREDS, "actions[0][cmd]": "retrieve_account_tags"})
                    return r.json()
            assert anyio.run(main) == {"status": "Success", "account_tags": ["Customer"]}

        def test_requests(kartra_inprocess):
            r = requests.post("https://app.kartra.com/api", data={
                **CREDS, "lead[email]": "r@example.com", "actions[0][cmd]": "create_lead"})
            assert r.status_code == 200
            assert r.headers["content-type"] == "text/html; charset=UTF-8"
            assert r.json()["status"] == "Success"
            assert kartra_inprocess.state()["accounts"][0]["leads"][0]["email"] == "r@example.com"

        def test_other_hosts_are_untouched(kartra_inprocess, kartra_live):
            data = {**CREDS, "actions[0][cmd]": "retrieve_account_lists"}
            r = httpx.post(kartra_live.api_url, data=data)
            assert r.json()["account_lists"] == ["Newsletter"]
            assert kartra_inprocess.requests() == []
            assert len(kartra_live.requests()) == 1
        """,
    )
    result.assert_outcomes(passed=4)


def test_interception_ends_with_the_test(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        import httpx, pytest

        def test_with_mock(kartra_inprocess):
            assert httpx.post("https://app.kartra.com/api", data={"app_id": "x"}).status_code == 200

        def test_after():
            assert httpx.HTTPTransport.handle_request.__qualname__ == "HTTPTransport.handle_request"

        @pytest.mark.kartra(intercept=False)
        def test_intercept_off(kartra_inprocess):
            assert httpx.HTTPTransport.handle_request.__qualname__ == "HTTPTransport.handle_request"
        """,
    )
    result.assert_outcomes(passed=3)


def test_a_real_server_for_code_in_any_language(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        import json, subprocess, sys

        SCRIPT = '''
        import sys, urllib.request, urllib.parse
        body = urllib.parse.urlencode({"app_id": "a", "api_key": "demo-key",
            "api_password": "demo-password", "lead[email]": "sub@example.com",
            "actions[0][cmd]": "create_lead"}).encode()
        print(urllib.request.urlopen(sys.argv[1] + "/api", body).read().decode())
        '''

        def test_subprocess_reaches_it(kartra_live):
            out = subprocess.run([sys.executable, "-c", SCRIPT, kartra_live.url],
                                 capture_output=True, text=True, check=True).stdout
            assert json.loads(out)["status"] == "Success"
            assert kartra_live.state()["accounts"][0]["leads"][0]["email"] == "sub@example.com"

        def test_reset_between_tests(kartra_live, kartra_client):
            assert kartra_live.state()["accounts"][0]["leads"] == []
            assert kartra_live.requests() == []
            assert kartra_client.create_lead(email="sub@example.com").id == "1"
        """,
    )
    result.assert_outcomes(passed=2)


def test_kartra_live_also_resets_a_server_of_the_users_own(pytester: pytest.Pytester) -> None:
    # The plugin's own server is reset through its engine; one that replaces kartra_server
    # (here: a second server, its engine unknown to the plugin) is reset over HTTP.
    pytester.makeconftest(
        """
        import pytest
        from kartra_mock.server.app import create_app
        from kartra_mock.server.threaded import ThreadedServer

        @pytest.fixture(scope="session")
        def kartra_server():
            with ThreadedServer(create_app()) as server:
                yield server
        """
    )
    result = run(
        pytester,
        """
        import pytest

        @pytest.mark.kartra(state={"accounts": [{"api_key": "k1", "tags": ["Gold"]}]})
        def test_marked_state(kartra_live):
            account = kartra_live.state()["accounts"][0]
            assert (account["api_key"], account["tags"]) == ("k1", ["Gold"])
            kartra_live.add_lead("ada@example.com", api_key="k1")

        def test_reset_to_the_default_world(kartra_live):
            account = kartra_live.state()["accounts"][0]
            assert (account["api_key"], account["leads"]) == ("demo-key", [])
        """,
    )
    result.assert_outcomes(passed=2)


def test_an_invalid_state_for_kartra_live_is_an_error_that_says_so(
    pytester: pytest.Pytester,
) -> None:
    result = run(
        pytester,
        """
        import pytest

        @pytest.mark.kartra(state={"auth": "sometimes"})
        def test_bad_state(kartra_live):
            pass

        def test_next_test_gets_the_default_world(kartra_live):
            assert kartra_live.state()["accounts"][0]["api_key"] == "demo-key"
        """,
    )
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*MockError: invalid state document*"])


def test_the_marker_configures_the_mock(pytester: pytest.Pytester, tmp_path: Path) -> None:
    state = tmp_path / "world.json"
    state.write_text(
        json.dumps({"accounts": [{"api_key": "k1", "api_password": "p1", "tags": ["Gold"]}]})
    )
    result = run(
        pytester,
        f"""
        import pytest
        from kartra_mock.errors import ApiKeyInvalid
        from kartra_mock.client import KartraClient

        pytestmark = pytest.mark.kartra(rate_limit=0)

        @pytest.mark.kartra(strict_auth=True)
        def test_strict(kartra_inprocess):
            with kartra_inprocess.client(api_key="nobody") as kartra, pytest.raises(ApiKeyInvalid):
                kartra.retrieve_account_tags()

        @pytest.mark.kartra(state={str(state)!r})
        def test_state_file(kartra_inprocess):
            with kartra_inprocess.client(api_key="k1", api_password="p1") as kartra:
                assert kartra.retrieve_account_tags() == ("Gold",)

        @pytest.mark.kartra(rate_limit=1)
        def test_rate_limit(kartra_inprocess):
            with kartra_inprocess.client() as kartra:
                kartra.retrieve_account_tags()
            answer = kartra_inprocess._http.post("/api", data={{"app_id": "demo-app"}})
            assert answer.status_code == 429

        @pytest.mark.kartra(rate_limit=1)
        def test_rate_limit_live(kartra_live):
            import httpx
            codes = [httpx.post(kartra_live.api_url, data={{"app_id": "demo-app"}}).status_code
                     for _ in range(3)]
            assert codes.count(429) >= 1

        def test_module_marker_applies(kartra_inprocess):
            with kartra_inprocess.client() as kartra:
                for _ in range(30):
                    kartra.retrieve_account_tags()

        @pytest.mark.kartra(colour="red")
        def test_unknown_option(kartra_inprocess):
            pass
        """,
    )
    result.assert_outcomes(passed=5, errors=1)
    result.stdout.fnmatch_lines(["*unknown option 'colour'*"])


WARNING_TESTS = """
import httpx, pytest

def call():
    httpx.post("https://app.kartra.com/api", data={
        "app_id": "demo-app", "api_key": "demo-key", "api_password": "demo-password",
        "lead[email]": "w@example.com", "lead[colour]": "red", "actions[0][cmd]": "create_lead"})

def test_default(kartra_inprocess):
    call()

@pytest.mark.kartra(fail_on_warnings=True)
def test_marked(kartra_inprocess):
    call()

@pytest.mark.kartra(fail_on_warnings=False)
def test_allowed(kartra_inprocess):
    call()
"""


def test_contract_warnings_can_fail_a_test_with_a_helpful_message(
    pytester: pytest.Pytester,
) -> None:
    result = run(pytester, WARNING_TESTS)
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*raised 1 contract warning(s):*",
            "*lead.unknown-field: lead?colour? is not a lead field (documented;*",
            "*@pytest.mark.kartra(fail_on_warnings=False)*",
        ]
    )


def test_the_command_line_option_fails_every_unmarked_test(pytester: pytest.Pytester) -> None:
    result = run(pytester, WARNING_TESTS, "--kartra-fail-on-warnings")
    result.assert_outcomes(passed=3, errors=2)


def test_parallel_workers_never_see_each_others_state(pytester: pytest.Pytester) -> None:
    tests = "\n".join(
        f"""
def test_mock_{i}(kartra_inprocess, kartra_client):
    assert kartra_client.create_lead(email="same@example.com").id == "1"

def test_live_{i}(kartra_live):
    with kartra_live.client() as kartra:
        assert kartra.create_lead(email="same@example.com").id == "1"
"""
        for i in range(6)
    )
    result = run(pytester, tests, "-n", "2")
    result.assert_outcomes(passed=12)


def test_the_documented_example_passes_as_written(pytester: pytest.Pytester) -> None:
    text = PLUGIN_PAGE.read_text(encoding="utf-8")
    start = text.index("```python\n# test_signup.py")
    example = text[start + len("```python\n") : text.index("```", start + 10)]
    pytester.makepyfile(test_signup=example)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-W", "error")
    result.assert_outcomes(passed=4)


def test_the_receiver_fixture_collects_what_the_mock_sends(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        def test_webhooks_reach_the_receiver(kartra_live, kartra_receiver):
            kartra_live.set_outbound({"webhooks": [{"url": kartra_receiver.url + "/kartra"}]})
            kartra_live.add_tags("VIP")
            lead_id = kartra_live.add_lead("ada@example.com", first_name="Ada")
            with kartra_live.client() as kartra:
                kartra.assign_tag("VIP", id=lead_id)
            kartra_live.trigger("filled_form", "ada@example.com")
            hook = kartra_receiver.wait_for("assign_tag", timeout=10)
            assert hook.path == "/kartra"
            assert hook.json["action_details"]["tag"]["tag_name"] == "VIP"
            assert hook.json["lead"]["email"] == "ada@example.com"
            form = kartra_receiver.wait_for("filled_form", timeout=10)
            assert [r.event for r in kartra_receiver.received] == ["assign_tag", "filled_form"]
            assert form.json["lead"]["first_name"] == "Ada"

        def test_each_test_gets_an_empty_receiver(kartra_receiver):
            assert kartra_receiver.received == []
            assert kartra_receiver.url.startswith("http://127.0.0.1:")
        """,
    )
    result.assert_outcomes(passed=2)


def test_the_receiver_fixture_says_what_arrived_when_waiting_fails(
    pytester: pytest.Pytester,
) -> None:
    result = run(
        pytester,
        """
        def test_waits_in_vain(kartra_receiver):
            kartra_receiver.wait_for("assign_tag", timeout=0.1)
        """,
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*expected 1 × assign_tag within 0.1s; got []*"])


def test_the_plugin_works_where_hypothesis_is_missing(pytester: pytest.Pytester) -> None:
    # As in the server-only Docker image with pytest added: the plugin must not need hypothesis.
    pytester.makepyfile(
        """
        def test_in_process(kartra_inprocess, kartra_client):
            assert kartra_client.create_lead(email="a@example.com").id == "1"
        """
    )
    # The plugins of hypothesis itself and of schemathesis (a test tool here) need it.
    options = ["-p", "no:hypothesispytest", "-p", "no:schemathesis", "-p", "no:cacheprovider"]
    code = WITHOUT_HYPOTHESIS + f"import pytest\nsys.exit(pytest.main({options!r}))"
    result = pytester.run(sys.executable, "-c", code)
    result.assert_outcomes(passed=1)


def test_the_former_plugin_path_serves_every_fixture_and_option(pytester: pytest.Pytester) -> None:
    # An install whose pytest11 entry point still names kartra_mock.pytest_plugin: kartra_live
    # needs a fixture outside the public names, and the hooks add the plugin's options.
    result = run(
        pytester,
        """
        def test_live(kartra_live, kartra_client):
            assert kartra_client.create_lead(email="old-path@example.com").id == "1"
            assert len(kartra_live.requests()) == 1

        def test_in_process(kartra_inprocess):
            assert kartra_inprocess.state()["accounts"][0]["leads"] == []
        """,
        "-p",
        "no:kartra_mock",
        "-p",
        "kartra_mock.pytest_plugin",
        "--kartra-fail-on-warnings",
    )
    result.assert_outcomes(passed=2)

"""The GitHub Actions example (examples/github-actions/kartra.yml) runs as a job would.

The workflow's ``run`` steps are executed in order, each as its own ``bash -eo pipefail``
script as GitHub's runner does, with the job's environment, in a directory holding the
example's tests; the server it starts in the background moves to a free port. Two things
differ from a runner, both on purpose: ``uses:`` steps (checkout, setup-python) have nothing
to do here, and the install step is left out because this interpreter already has the
package (the install line itself is checked to name the package).
"""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.docs import shell
from tests.docs.markdown import ROOT
from tests.serving import free_port

EXAMPLE = ROOT / "examples" / "github-actions"
WORKFLOW = EXAMPLE / "kartra.yml"

pytestmark = [pytest.mark.slow, pytest.mark.subprocess, pytest.mark.socket]


def _job() -> dict[str, Any]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key ``on`` as True; GitHub reads it as "on".
    assert workflow.get("on", workflow.get(True)), "the workflow has no trigger (on:)"
    jobs: dict[str, dict[str, Any]] = workflow["jobs"]
    assert list(jobs) == ["test"], "the example is one job"
    return jobs["test"]


def test_the_workflow_is_one_job_of_well_formed_steps() -> None:
    job = _job()
    assert job["runs-on"]
    for step in job["steps"]:
        assert ("uses" in step) != ("run" in step), f"a step runs or uses, not both: {step}"
    installs = [s for s in job["steps"] if "pip install" in s.get("run", "")]
    assert len(installs) == 1
    assert "kartra-mock @ git+" in installs[0]["run"]


def _step_script(step: dict[str, Any], index: int, port: int) -> str:
    # Each step in its own shell, as the runner does; ``if:`` decides after a failure.
    condition = str(step.get("if", "success()"))
    assert condition in {"success()", "failure()", "always()"}, f"unsupported if: {condition}"
    path = f"step{index}.sh"
    body = shell.localize(step["run"], port)
    guard = {"success()": '[ "$failed" = 0 ]', "failure()": '[ "$failed" = 1 ]'}.get(
        condition, "true"
    )
    return (
        f"cat > {path} <<'KARTRA_STEP_{index}'\n{body}\nKARTRA_STEP_{index}\n"
        f"if {guard}; then echo ::step {shlex.quote(step.get('name', path))}; "
        f"bash --noprofile --norc -eo pipefail {path} || failed=1; fi\n"
    )


def _run_job(tmp_path: Path, extra_tests: dict[str, str]) -> tuple[int, str]:
    """Run the job's steps in ``tmp_path`` holding the example's tests (and ``extra_tests``)."""
    job = _job()
    port = free_port()
    shutil.copytree(EXAMPLE / "tests", tmp_path / "tests")
    for name, source in extra_tests.items():
        (tmp_path / "tests" / name).write_text(source, encoding="utf-8")
    env = shell.environment(port)
    env.update({k: shell.localize(str(v), port) for k, v in job.get("env", {}).items()})
    assert env["KARTRA_MOCK_URL"] == f"http://127.0.0.1:{port}"
    steps = [s for s in job["steps"] if "run" in s and "pip install" not in s["run"]]
    script = "failed=0\n" + "".join(_step_script(s, i, port) for i, s in enumerate(steps))
    return shell.run_script(script + 'exit "$failed"\n', tmp_path, env, timeout=120)


def test_the_job_runs_its_tests_against_the_mock_it_starts(tmp_path: Path) -> None:
    status, out = _run_job(tmp_path, {})
    assert status == 0, f"the job failed ({sys.executable})\n{out}"
    assert "2 passed" in out, out
    assert "::step Tests" in out, out
    assert "::step The mock's log" not in out, out


def test_a_failing_test_fails_the_job_and_shows_the_mocks_log(tmp_path: Path) -> None:
    status, out = _run_job(
        tmp_path, {"test_broken.py": "def test_broken() -> None:\n    assert False\n"}
    )
    assert status == 1, out
    assert "1 failed, 2 passed" in out, out
    assert "::step The mock's log" in out, out
    assert "POST /api 200" in out, out

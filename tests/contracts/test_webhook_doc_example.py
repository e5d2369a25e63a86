"""The check_webhook_handler example of docs/contracts.md runs, and its wrong twins fail."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = Path(__file__).parents[2] / "docs" / "contracts.md"


def example() -> str:
    """The first Python block of the check_webhook_handler section."""
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## check_webhook_handler") :]
    found = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert found is not None, "the section has a Python example"
    return found.group(1)


def test_the_example_passes() -> None:
    exec(compile(example(), str(DOC), "exec"), {"__name__": "docs_example"})


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "tags.setdefault(email, set()).add(tag)",
            "tags.setdefault(email, []).append(tag)",
            "redelivering",
        ),
        (
            "    return Response(status_code=204)",
            "    if event.get('action') not in ('assign_tag', 'unassign_tag'):\n"
            "        return Response(status_code=400)\n"
            "    return Response(status_code=204)",
            "answered 400",
        ),
    ],
)
def test_the_wrong_twins_the_doc_names_fail(old: str, new: str, message: str) -> None:
    source = example()
    assert old in source
    wrong = source.replace(old, new).replace("tags.get(email, set()).discard(tag)", "pass")
    with pytest.raises(AssertionError, match=message):
        exec(compile(wrong, str(DOC), "exec"), {"__name__": "docs_example"})

"""The documentation runner itself: block extraction, directives, transcripts, placeholders."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.docs import shell
from tests.docs.markdown import blocks

PAGE = """\
# A page

<!-- not-run: installs things -->

```sh
pip install x
```

- a list item:

  ```console
  $ echo hi
  hi
  ```

<!-- not-run: -->
```python
print()
```

<!-- file: examples/x.php -->
````php
<?php
```
````

<!-- notrun: typo -->
```json
{}
```

```
a listing
"""


def test_blocks_directives_and_indented_fences(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(PAGE, encoding="utf-8")
    found = list(blocks(page))
    assert [(b.line, b.language) for b in found] == [
        (5, "sh"),
        (11, "console"),
        (17, "python"),
        (22, "php"),
        (28, "json"),
        (32, ""),
    ]
    assert found[0].not_run == "installs things"
    assert found[1].text == "$ echo hi\nhi\n"
    assert found[1].not_run is None
    assert found[2].not_run == ""
    assert found[3].file == "examples/x.php"
    assert found[3].text == "<?php\n```\n"
    assert found[4].malformed_directive == "<!-- notrun: typo -->"
    assert found[5].text == "a listing\n"


def test_a_transcript_splits_commands_continuations_and_output() -> None:
    commands = shell.transcript("$ a \\\n  --b\none\ntwo\n$ c &\n$ d\n[exit 3]\n")
    assert [c.command for c in commands] == ["a \\\n  --b", "c &", "d"]
    assert commands[0].expected == ("one", "two")
    assert [c.background for c in commands] == [False, True, False]
    assert [c.exit_status for c in commands] == [0, 0, 3]
    assert commands[2].shown_output == ()


def test_a_transcript_must_start_with_a_command() -> None:
    with pytest.raises(ValueError, match="output before any"):
        shell.transcript("output\n$ a\n")


@pytest.mark.parametrize(
    ("expected", "actual", "result"),
    [
        (("a", "b"), "a\nb\n", True),
        (("a", "b"), "a\nc\n", False),
        (("a",), "a\nb\n", False),
        (('{"id":"..."}',), '{"id":"17"}', True),
        (('{"id":"..."}',), '{"id":"17"}\nmore', False),
        (("a", "...", "z"), "a\nb\nc\nz\n", True),
        (("a", "...", "z"), "a\nz\n", True),
        (("a", "...", "z"), "a\nb\n", False),
        (("...",), "", True),
        ((), "", True),
        ((), "something", False),
        (("a  ",), "\na\n\n", True),
    ],
)
def test_placeholders(expected: tuple[str, ...], actual: str, result: bool) -> None:
    assert shell.matches(expected, actual) is result


def test_the_default_address_moves_to_the_runners_port() -> None:
    text = "curl http://127.0.0.1:8765/api localhost:8765 --port 8765 --port=8765 :87650"
    assert shell.localize(text, 4321) == (
        "curl http://127.0.0.1:4321/api localhost:4321 --port 4321 --port=4321 :87650"
    )
    assert shell.pin_defaults("kartra-mock serve --rate-limit 0 &", 4321) == (
        "kartra-mock serve --port 4321 --rate-limit 0 &"
    )
    assert shell.pin_defaults("kartra-mock serve --port 0", 4321) == "kartra-mock serve --port 0"
    assert shell.pin_defaults("kartra-mock report --json", 4321) == (
        "kartra-mock report --base-url http://127.0.0.1:4321 --json"
    )
    assert shell.pin_defaults("kartra-mock verify --base-url X", 4321) == (
        "kartra-mock verify --base-url X"
    )


@pytest.mark.subprocess
def test_a_transcript_runs_in_one_shell_and_stops_its_background_jobs(tmp_path: Path) -> None:
    commands = shell.transcript("$ X=1\n$ sleep 30 &\n$ echo $X\n1\n$ false\n")
    # Were the background job left running, the script's end would wait 30 s for it.
    ran, rest = shell.run_transcript(commands, tmp_path, 1, own_server=False, timeout=20)
    assert [(r.output.strip(), r.status) for r in ran] == [("", 0), ("", 0), ("1", 0), ("", 1)]
    assert rest == ""

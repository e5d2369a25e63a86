"""docs/errors.md lists every error class of the catalogue, generated from it, so it cannot drift.

Regenerate the table after changing the catalogue::

    python -m tests.test_errors_doc
"""

from __future__ import annotations

from kartra_mock import errors
from tests.generated import GeneratedPart

PART = GeneratedPart("docs/errors.md", "errors", "tests.test_errors_doc")


def table() -> str:
    """The catalogue as a Markdown table, one row per Kartra ``type``, in code order."""
    rows = [
        "| type | class | message | HTTP | source |",
        "|---|---|---|---|---|",
    ]
    for cls in sorted(errors.ERROR_CLASSES, key=lambda cls: int(cls.type_code)):
        message = cls.default_message.replace("|", "\\|")
        rows.append(
            f"| `{cls.type_code}` | `{cls.__name__}` | {message} | {cls.status_code}"
            f" | {cls.source.value} |"
        )
    return "\n".join(rows)


def test_docs_errors_md_lists_every_error_class_of_the_catalogue() -> None:
    PART.check(table())


def test_the_table_has_one_row_per_class() -> None:
    names = {cls.__name__ for cls in errors.ERROR_CLASSES}
    assert len(names) == len(errors.ERROR_CLASSES) == table().count("\n") - 1
    assert {"LeadNotFound", "LeadAlreadyExists", "LeadDeleted", "LeadCommandNotFirst"} <= names


if __name__ == "__main__":
    PART.write(table())

"""contracts: property and stateful tests that check any Kartra client or server.

This package judges any client/server pair, the mock included, so it never imports the mock's
domain or server (HOUSE-STYLE.md). The hypothesis kit itself is not built yet: see the
README's "Known differences" and the contracts issue.
"""

__all__: list[str] = []

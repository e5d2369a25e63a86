"""``python -m kartra_mock``: the same program as the ``kartra-mock`` command."""

from kartra_mock.cli import main

raise SystemExit(main())

"""The error catalogue's public home: re-exports :mod:`kartra_mock.protocol.errors`.

``from kartra_mock.errors import LeadNotFound`` keeps working; the classes are declared, one
line each, in the wire-protocol package.
"""

from typing import TYPE_CHECKING

from kartra_mock.protocol.errors import *  # noqa: F403

if not TYPE_CHECKING:  # derived from the registry at run time
    from kartra_mock.protocol.errors import __all__ as __all__

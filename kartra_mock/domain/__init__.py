"""Kartra's behaviour, pure and synchronous: no I/O, no HTTP, no starlette.

The server turns HTTP into calls on :class:`~kartra_mock.engine.backend.Backend`; the pytest
plugin uses the same object directly.
"""

"""The HTTP face of the mock: starlette app factory, ``/api`` endpoint, control plane."""

from kartra_mock.server.app import create_app

__all__ = ["create_app"]

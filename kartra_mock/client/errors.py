"""The client's own errors: answers that are not Kartra's protocol at all.

Errors that Kartra reports (a ``type`` code) are the catalogue's classes in
:mod:`kartra_mock.errors`; the client raises exactly those. The classes here cover what the
catalogue cannot: a body that is not JSON, a JSON answer of the wrong shape, an HTTP status
Kartra never sends, a rate limit that outlasted every retry::

    KartraClientError                 base of the client's own errors
    └── KartraProtocolError           status_code (HTTP), body_excerpt
        └── RateLimitExceeded         HTTP 429 (or type 429) after the last retry; attempts

Transport failures (connection refused, timeouts) are httpx's own exceptions, raised as is.
None of these messages ever carries the ``api_password``: excerpts are redacted first.
"""

from __future__ import annotations

__all__ = ["KartraClientError", "KartraProtocolError", "RateLimitExceeded"]


class KartraClientError(Exception):
    """Base class of the errors the client raises on its own (not Kartra ``type`` errors)."""


class KartraProtocolError(KartraClientError):
    """The server's answer is not Kartra's protocol: wrong status, not JSON, wrong shape.

    ``status_code`` is the HTTP status received; ``body_excerpt`` the start of the body
    (at most :data:`~kartra_mock.client.core.EXCERPT_LENGTH` characters, password redacted).
    """

    def __init__(self, reason: str, *, status_code: int, body_excerpt: str) -> None:
        self.reason = reason
        self.status_code = status_code
        self.body_excerpt = body_excerpt
        super().__init__(f"{reason} (HTTP {status_code}; body starts {body_excerpt!r})")


class RateLimitExceeded(KartraProtocolError):
    """Kartra kept answering "Too many requests" (429) after every retry.

    Kartra allows 20 calls per second per ``app_id``; slow down, raise ``max_retries``, or
    turn on the client-side throttle (``throttle=True``).
    """

    def __init__(self, *, status_code: int, body_excerpt: str, attempts: int) -> None:
        self.attempts = attempts
        super().__init__(
            f"rate limited: still 'Too many requests' after {attempts} attempts",
            status_code=status_code,
            body_excerpt=body_excerpt,
        )

"""A typed sync and async httpx client for Kartra's inbound API: the real one or the mock.

Request building and answer parsing live once, in a sans-I/O core (:mod:`.core`);
:class:`AsyncKartraClient` (:mod:`.asynchronous`) is written once and :class:`KartraClient`
(:mod:`.sync`) is generated from it by ``python -m tools.unasync``. Kartra's
flat errors raise their class from :mod:`kartra_mock.errors`; answers that are not Kartra's
protocol raise :class:`KartraProtocolError`.

Example::

    from kartra_mock.client import KartraClient

    with KartraClient(app_id="demo-app", api_key="demo-key", api_password="demo-password",
                      base_url="http://127.0.0.1:8765/api") as kartra:
        lead = kartra.create_lead(email="ada@example.com", first_name="Ada")
        result = (kartra.chain(id=lead.id)
                  .assign_tag("Customer").give_points_to_lead(10).send())
        assert result.ok, result.failed
        for transaction in kartra.retrieve_transactions_from_lead(id=lead.id):
            print(kartra.get_transaction_details(transaction.transaction_id))
"""

from __future__ import annotations

from kartra_mock.client import results, results_commerce
from kartra_mock.client.asynchronous import AsyncChain, AsyncKartraClient
from kartra_mock.client.chain import ChainBuilder
from kartra_mock.client.core import (
    DEFAULT_BASE_URL,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    RETRY_DELAY,
)
from kartra_mock.client.encoding import http_build_query, lead_params
from kartra_mock.client.errors import KartraClientError, KartraProtocolError, RateLimitExceeded
from kartra_mock.client.results import *  # noqa: F403
from kartra_mock.client.results_commerce import *  # noqa: F403
from kartra_mock.client.sync import Chain, KartraClient
from kartra_mock.client.throttle import SHARED_THROTTLES, Throttle, ThrottleRegistry

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "RETRY_DELAY",
    "SHARED_THROTTLES",
    "AsyncChain",
    "AsyncKartraClient",
    "Chain",
    "ChainBuilder",
    "KartraClient",
    "KartraClientError",
    "KartraProtocolError",
    "RateLimitExceeded",
    "Throttle",
    "ThrottleRegistry",
    "http_build_query",
    "lead_params",
]
# The typed results: every name their modules export.
__all__ += results.__all__
__all__ += results_commerce.__all__

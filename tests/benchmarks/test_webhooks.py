"""The webhook benchmark's helpers, so that it does not rot. No timings are asserted here."""

from __future__ import annotations

import pytest

from benchmarks import settings, webhooks
from benchmarks.bare_app import app as receiver_app
from kartra_mock.outbound.delivery import app_poster


def test_paired_rounds_give_the_added_p50_and_the_a_a_noise() -> None:
    result = webhooks.paired([(100.0, 110.0, 102.0), (104.0, 112.0, 101.0), (99.0, 150.0, 99.0)])
    assert result.added == pytest.approx(10.0)  # median of 10, 8, 51
    assert result.noise == pytest.approx(2.0)  # median of 2, 3, 0


def test_a_sample_webhook_is_a_real_tag_assignment() -> None:
    item = webhooks.sample_webhook("http://shop.test/api")
    assert (item.kind, item.event, item.url) == ("webhook", "assign_tag", "http://shop.test/api")
    assert item.payload["action_details"] == {"tag": {"tag_id": "1", "tag_name": "Customer"}}


def test_the_delivery_run_delivers_every_event_in_process() -> None:
    rate, answered = webhooks.rate_of_delivery(app_poster(receiver_app), "http://x.test/api", 30)
    assert answered == 30
    assert rate > 0


def test_webhooks_is_a_section_and_quick_is_smaller() -> None:
    assert "webhooks" in settings.SECTIONS
    assert settings.QUICK.webhook_events < settings.DEFAULT.webhook_events
    assert max(settings.QUICK.webhook_sizes) < max(settings.DEFAULT.webhook_sizes)

"""The lead's score over time: expiring points count until their moment
(docs/behaviour.md#give_points_to_lead)."""

from __future__ import annotations

from kartra_mock.domain.model import Lead, PointGrant


def test_score_at_counts_live_grants_only() -> None:
    lead = Lead(1, "a@example.com", score=10)
    lead.expiring_points = [PointGrant(5, 100), PointGrant(3, 200)]
    assert [lead.score_at(t) for t in (0, 99, 100, 199, 200)] == [18, 18, 13, 13, 10]


def test_expire_points_forgets_past_grants_without_changing_the_score() -> None:
    lead = Lead(1, "a@example.com", score=-2)
    lead.expiring_points = [PointGrant(5, 100), PointGrant(3, 200)]
    lead.expire_points(150)
    assert lead.expiring_points == [PointGrant(3, 200)]
    assert lead.score_at(150) == 1

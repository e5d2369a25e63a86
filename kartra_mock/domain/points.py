"""Lead score points: give_points_to_lead (with an optional expiration) and remove_points_from_lead.

docs/behaviour.md#give_points_to_lead (documented): ``points`` is an integer, ``expiration`` the
number of days after which "these exact points are deducted again" (``0`` or absent: never). Expiry
is lazy: a grant simply stops counting once the injected clock reaches its moment
(:meth:`~kartra_mock.domain.model.Lead.score_at`), so no timer runs and a test that moves its clock
sees the points go."""

from __future__ import annotations

from collections.abc import Mapping

from kartra_mock.domain.actions import ActionContext, Command, Entry, success
from kartra_mock.domain.est import LAST_MOMENT
from kartra_mock.domain.model import PointGrant
from kartra_mock.protocol import errors
from kartra_mock.protocol.numbers import parse_whole

__all__ = ["POINT_COMMANDS", "read_points"]

_DAY = 86_400
#: A whole number of points or days; 9 digits keep every score a safe integer (inferred).
_DIGITS = 9


def read_points(
    raw: str, empty: type[errors.KartraError], not_a_number: type[errors.KartraError]
) -> int:
    """``points`` as documented: required (``empty``), a whole number (``not_a_number``).

    A sign or decimals are "not a number" (inferred: the parameter is documented as an
    integer, and a negative gift would be a removal in disguise).
    """
    if raw == "":
        raise empty
    points = parse_whole(raw, max_digits=_DIGITS)
    if points is None:
        raise not_a_number
    return points


def _give(ctx: ActionContext) -> Entry:
    points = read_points(ctx.text("points"), errors.PointsEmpty, errors.PointsNotNumber)
    expiration = ctx.text("expiration")
    days = 0 if expiration == "" else parse_whole(expiration, max_digits=_DIGITS)
    # An expiration that is not a whole number of days, or whose moment falls after
    # 9999-12-31 (no date can name it: Kartra's own dates are MySQL DATETIMEs, and the state
    # document's stamps end there), gets the command's own "not a number" (inferred: Kartra
    # documents no separate code for it, and storing it would be a guess).
    if days is None or (days > 0 and int(ctx.now) + days * _DAY > LAST_MOMENT):
        raise errors.PointsNotNumber
    lead = ctx.the_lead()
    lead.expire_points(ctx.now)
    if days == 0:
        lead.score += points
    else:
        lead.expiring_points.append(PointGrant(points, int(ctx.now) + days * _DAY))
    return success("Points added to lead", "105")


def _remove(ctx: ActionContext) -> Entry:
    points = read_points(ctx.text("points"), errors.RemovePointsEmpty, errors.RemovePointsNotNumber)
    lead = ctx.the_lead()
    lead.expire_points(ctx.now)
    # No floor at zero (inferred: Kartra documents none); give then remove is exactly undone.
    lead.score -= points
    return success("Points removed from lead", "106")


POINT_COMMANDS: Mapping[str, Command] = {
    "give_points_to_lead": Command(_give, True, frozenset({"points", "expiration"})),
    "remove_points_from_lead": Command(_remove, True, frozenset({"points"})),
}

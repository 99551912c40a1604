import datetime

from django.db.models import Count, Q

from accounts import permissions
from locations.models import AccessLocation, review_overdue_condition
from locations.standards import STANDARD_FIELDS, Answer


def locations_for(user):
    """Active locations of the agencies the user may look at (all for partnership roles)."""
    queryset = AccessLocation.objects.active().select_related("agency", "last_review")
    if not permissions.sees_whole_partnership(user):
        queryset = queryset.filter(agency__in=permissions.agency_roles(user).ids())
    return queryset


def agency_locations(agency):
    return AccessLocation.objects.active().filter(agency=agency).select_related("last_review").order_by("name")


def location_reviews(location) -> list:
    """A location's filtering and monitoring reviews, latest first, with who recorded each: one query."""
    return list(location.reviews.select_related("recorded_by"))


# How soon a review counts as "due soon" on the partnership's overview.
DUE_SOON_DAYS = 30


def reviews_overview(*, today: datetime.date) -> dict:
    """Active locations whose filtering and monitoring review is overdue or due within a month, by agency,
    with the partnership's counts: two queries whatever the number of locations."""
    locations = AccessLocation.objects.active().select_related("agency", "last_review")
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    counts = locations.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=review_overdue_condition(today)),
        never=Count("pk", filter=Q(last_review__isnull=True)),
        due_soon=Count("pk", filter=Q(last_review__next_review_due__gte=today, last_review__next_review_due__lte=soon)),
        not_met=Count("pk", filter=_any_standard(Answer.NOT_MET)),
    )
    attention = list(
        locations.filter(
            review_overdue_condition(today) | Q(last_review__next_review_due__lte=soon) | _any_standard(Answer.NOT_MET)
        ).order_by("agency__name", "name")
    )
    for location in attention:
        location.status_words = location.review_status(today)
        location.overdue_flag = location.is_review_overdue(today)
    return {"counts": counts, "locations": attention, "due_soon_days": DUE_SOON_DAYS, "today": today}


def _any_standard(answer: str) -> Q:
    """The location's latest review answered at least one standard with ``answer``."""
    condition = Q()
    for name in STANDARD_FIELDS:
        condition |= Q(**{f"last_review__{name}": answer})
    return condition

"""Figures worked out once and kept until the data they count changes (esafety.figures)."""

import re

import pytest
from django.db import transaction
from django.urls import reverse

from esafety import figures
from esafety.models import FigureVersion
from tests.factories import AgencyFactory, IncidentFactory

pytestmark = pytest.mark.django_db


def test_a_figure_is_counted_once_and_again_only_after_a_write_to_its_area():
    counted = []

    def count():
        counted.append(1)
        return len(counted)

    def ask():
        return figures.cached("test:count", count, areas=[figures.AUDITS], scope=["all"])

    assert (ask(), ask()) == (1, 1)
    figures.bump(figures.INCIDENTS)  # another area: nothing to count again
    assert ask() == 1
    figures.bump(figures.AUDITS)
    assert (ask(), ask()) == (2, 2)


def test_a_figure_worked_out_as_nothing_is_kept_too():
    counted = []
    for _ in range(2):
        assert figures.cached("test:none", lambda: counted.append(1), areas=[figures.PLAN]) is None
    assert len(counted) == 1


def test_each_scope_has_its_own_figure():
    first = figures.cached("test:scoped", lambda: "for 1", areas=[figures.REGISTER], scope=[1])
    second = figures.cached("test:scoped", lambda: "for 2", areas=[figures.REGISTER], scope=[2])
    assert (first, second) == ("for 1", "for 2")


def test_a_version_given_in_a_transaction_rolled_back_is_never_given_again():
    before = figures.versions()[figures.INCIDENTS]
    given = set()
    for _ in range(5):
        with transaction.atomic():
            figures.bump(figures.INCIDENTS)
            given.add(figures.versions()[figures.INCIDENTS])
            transaction.set_rollback(True)
        assert figures.versions()[figures.INCIDENTS] == before
    assert len(given) == 5 and before not in given


def test_an_area_whose_row_is_missing_gets_one_at_its_first_write():
    FigureVersion.objects.filter(area=figures.ESIG).delete()  # as after a transactional test empties the tables
    assert figures.versions()[figures.ESIG] == 0
    figures.bump(figures.ESIG)
    assert figures.versions()[figures.ESIG] != 0


def test_an_unknown_area_is_refused():
    with pytest.raises(ValueError, match="Unknown figure areas"):
        figures.bump("weather")


def test_the_versions_are_read_once_per_request(board_member, client_for, django_assert_max_num_queries):
    """The home page's sections each look their figures up, with one read of the versions between them."""
    client = client_for(board_member)
    client.get("/")
    with django_assert_max_num_queries(4):  # session, user, agency roles, figure versions
        assert client.get("/").status_code == 200


def test_a_sector_changed_in_the_admin_shows_in_the_monitoring_figures(admin_user, board_member, client_for):
    """The Django admin's saves count as writes to the figures too."""
    agency = AgencyFactory(name="Riverside Library", sector="library")
    for _ in range(6):
        IncidentFactory(agency=agency)
    board = client_for(board_member)
    library = r">Library</th><td class=\"text-end\">{}</td>"
    body = board.get(reverse("incidents:monitoring")).content.decode()
    assert re.search(library.format(6), body)

    response = client_for(admin_user).post(
        reverse("admin:agencies_agency_change", args=[agency.pk]),
        {
            "name": agency.name,
            "sector": "health",
            "membership_type": agency.membership_type,
            "joined_on": agency.joined_on.isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]

    body = board.get(reverse("incidents:monitoring")).content.decode()
    assert re.search(library.format(0), body)

"""The suite runs on two pytest-xdist workers; tests marked ``xdist_group("heavy")`` share one of them,
because they start servers, workers and load that must not overlap (one Redis database as broker,
the CPU for the load test). This guards the grouping itself."""

import pytest


@pytest.mark.xdist_group("heavy")
def test_tests_of_a_group_are_scheduled_together(request):
    assert request.config.getoption("loadgroup", default=False), (
        "run the suite as `make test` does (-n 2 --dist loadgroup)"
    )
    assert request.node.nodeid.endswith("@heavy")

"""The budgets ``manage.py bench`` checks, and how ``bench --growth`` puts its two histories side by side."""

from accounts.large import LargeSizes
from benchmark import budgets
from benchmark.management.commands.bench import best_run, growth_figures


def test_each_page_must_serve_at_least_a_quarter_of_the_bare_view_s_throughput():
    figures = {
        "pages": {
            "incident monitoring": {
                "queries": 5,
                "one_client": {"p95_ms": 40},
                "admin": {"one_client": {"p95_ms": 60}},
                "ratio_to_floor_rps": 0.24,
            }
        },
        "writes": {},
        "annual_report": {"total_seconds": 9.5, "peak_memory_mb": 500, "gathering_share": 0.2},
        "reminder_sweep": {"seconds": 1, "queries": 20},
        "import_preview": {"max_seconds": 1},
    }
    checks = {check.what: check for check in budgets.checks_for(figures)}
    share = checks["incident monitoring: throughput at 8 clients as a share of the bare view's"]
    assert (share.limit, share.ok) == (0.25, False)
    figures["pages"]["incident monitoring"]["ratio_to_floor_rps"] = 0.25
    assert {check.what: check for check in budgets.checks_for(figures)}[share.what].ok
    # The annual report: ten seconds at most.
    assert checks["annual report: time"].limit == 10 and checks["annual report: time"].ok


def test_growth_compares_each_page_s_p95_at_one_client_with_four_times_the_history():
    one = {
        "rows": {"incidents": 50_000},
        "pages": {
            "home: board": {"url": "/", "p95_ms": 40},
            "audit collation": {"url": "/audits/cycles/1/collation/", "p95_ms": 80},
        },
    }
    grown = {
        "rows": {"incidents": 200_000},
        "pages": {
            "home: board": {"url": "/", "p95_ms": 48},
            "audit collation": {"url": "/audits/cycles/1/collation/", "p95_ms": 120},
        },
    }
    figures = growth_figures(one, grown)
    assert figures["pages"]["home: board"] == {"url": "/", "p95_ms_1x": 40, "p95_ms_4x": 48, "ratio": 1.2}
    checks = {check.what.split(":")[0]: check.ok for check in budgets.growth_checks(figures["pages"])}
    assert checks == {"home": True, "audit collation": False}


def test_each_history_keeps_each_page_s_best_run():
    """A busy spell of the machine during one run of a history does not decide its figures."""
    runs = [
        {"rows": {"incidents": 50_000}, "pages": {"home: board": {"p95_ms": 90}, "audit collation": {"p95_ms": 20}}},
        {"rows": {"incidents": 50_000}, "pages": {"home: board": {"p95_ms": 30}, "audit collation": {"p95_ms": 70}}},
    ]
    best = best_run(runs)
    assert best["pages"] == {"home: board": {"p95_ms": 30}, "audit collation": {"p95_ms": 20}}
    assert best["rows"] == {"incidents": 50_000}


def test_the_pages_that_must_stay_flat_are_the_crowd_s():
    assert all(budgets.grows_flat(name) for name in budgets.GROWTH_PAGES)
    assert budgets.grows_flat("home: champion") and not budgets.grows_flat("agency list")


def test_four_times_the_history_is_forty_years_and_two_hundred_thousand_incidents_of_the_same_partnership():
    sizes = LargeSizes().with_history(4)
    assert (sizes.years, sizes.incidents) == (40, 200_000)
    assert (sizes.agencies, sizes.users, sizes.actions) == (LargeSizes().agencies, LargeSizes().users, 1_000)

"""A web worker forked from the gunicorn master starts with every template compiled."""

from django.template import engines

from esafety.warmup import warm_up


def _cached_names() -> set[str]:
    loader = engines["django"].engine.template_loaders[0]
    return set(loader.get_template_cache)


def test_warming_up_compiles_the_portals_pages_and_emails_before_any_request():
    engines["django"].engine.template_loaders[0].reset()
    assert "audits/collation.html" not in _cached_names()
    figures = warm_up()
    cached = _cached_names()
    for name in ("base.html", "audits/collation.html", "incidents/incident_list.html", "reports/annual/report.html"):
        assert name in cached, name
    assert figures["templates"] >= len([n for n in cached if n.startswith(("audits/", "incidents/"))])

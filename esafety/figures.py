"""Figures computed once, not on every request: cached under the versions of the data they count.

The portal's data is split into a few *areas* (incidents, audits, the action plan, ...). Each has
a row in ``esafety.FigureVersion`` whose ``version`` every write that changes a figure of the area
replaces, in the write's own transaction, with a new random value (:func:`bump`): a value rolled
back is never reused, and no two installations or test runs share one. A cached figure's key holds
the versions of the areas it counts (:func:`cached`), so once a write commits, the next request
reads new versions, misses the cache and counts again: a figure is never stale after a save.

Services bump their area; so do the bulk paths that bypass them (the retention job, the seeding
of demo data). The versions are read in one query, once per request (the request's memo is set by
``esafety.middleware.RequestIdMiddleware``); outside a request, on every call.

Keys also hold whatever scopes the figure — the user for anything that depends on who asks, the
period, the page, today's date for anything that ages (what is overdue) — so a cached figure never
reaches someone it was not computed for. ``docs/architecture.md`` lists what is cached and how.
"""

from __future__ import annotations

import contextvars
import functools
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache

INCIDENTS = "incidents"
AUDITS = "audits"
PLAN = "actionplan"
REGISTER = "register"  # agencies, their staff and champions, people's names
LOCATIONS = "locations"
ESIG = "esig"
REPORTS = "reports"
AREAS = (INCIDENTS, AUDITS, PLAN, REGISTER, LOCATIONS, ESIG, REPORTS)

# Part of every key: changed when what is cached changes shape, so a new release never reads an old pickle.
SCHEMA = 1
TIMEOUT = 24 * 60 * 60

# The versions read during the current request (None outside one).
request_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("figure_versions", default=None)


def _new_version() -> int:
    return secrets.randbits(62) + 1


def bump(*areas: str, using: str = "default") -> None:
    """Give ``areas`` new versions. Call it inside the transaction of the write (one query)."""
    from esafety.models import FigureVersion

    unknown = set(areas) - set(AREAS)
    if unknown:
        raise ValueError(f"Unknown figure areas: {sorted(unknown)}")
    version = _new_version()
    rows = FigureVersion.objects.using(using)
    if rows.filter(area__in=areas).update(version=version) < len(set(areas)):
        for area in areas:  # a database emptied since the migration made the rows (only tests do that)
            rows.update_or_create(area=area, defaults={"version": version})
    memo = request_memo.get()
    if memo is not None:
        memo.clear()


def bumps(*areas: str):
    """Decorate a service: once it has written (without raising), ``areas`` get new versions. Put it
    under ``@transaction.atomic`` so that the bump is part of the write's transaction."""

    def decorate(service):
        @functools.wraps(service)
        def wrapper(*args, **kwargs):
            result = service(*args, **kwargs)
            bump(*areas)
            return result

        return wrapper

    return decorate


def versions() -> dict[str, int]:
    """Every area's version: one query, once per request."""
    from esafety.models import FigureVersion

    memo = request_memo.get()
    if memo:
        return memo
    found = dict.fromkeys(AREAS, 0)
    found.update(FigureVersion.objects.values_list("area", "version"))
    if memo is not None:
        memo.update(found)
    return found


def key(name: str, areas: Iterable[str], scope: Iterable[Any] = ()) -> str:
    current = versions()
    stamp = ".".join(f"{current[area]:x}" for area in sorted(set(areas)))
    parts = ":".join(str(part) for part in scope)
    return f"figures:{SCHEMA}:{name}:{parts}:{stamp}"


def rendered(name: str, areas: Iterable[str], scope: Iterable[Any] = ()) -> dict:
    """What a template's ``{% cache figures_timeout "<fragment>" figures_key %}`` needs to keep a
    fragment rendered under ``areas``' versions and ``scope`` (see ``docs/architecture.md``)."""
    return {"figures_key": key(name, areas, scope), "figures_timeout": TIMEOUT}


def cached(name: str, compute: Callable[[], Any], *, areas: Iterable[str], scope: Iterable[Any] = ()) -> Any:
    """``compute()``, or what it gave last time for the same ``scope`` while ``areas`` have not changed."""
    cache_key = key(name, areas, scope)
    found = cache.get(cache_key)  # a 1-tuple, so that a None worked out is kept as well
    if found is None:
        found = (compute(),)
        cache.set(cache_key, found, TIMEOUT)
    return found[0]

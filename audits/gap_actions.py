"""Turning gaps into actions in the action plan (when the action plan is installed)."""

from django.apps import apps


def available() -> bool:
    return apps.is_installed("actionplan") and _has_models()


def _has_models() -> bool:
    try:
        apps.get_model("actionplan", "Action")
        apps.get_model("actionplan", "Objective")
    except LookupError:
        return False
    return True

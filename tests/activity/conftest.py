import pytest


@pytest.fixture(autouse=True)
def trail_store(settings, tmp_path):
    """A private file store of the test's own, so the trail's daily hashes of one test meet no other."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    return tmp_path

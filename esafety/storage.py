"""The portal's private file store, and how to tell when it is not answering.

Every file a person uploads or the portal builds (audit evidence, ESIG minutes, annual report PDFs)
is written and read through ``storages["private"]``: a folder on this machine for the local demo,
S3-compatible object storage in a hosted service (``esafety/settings.py``). Files are only ever
handed out by views that check permission first; the storage never produces a public address.
"""

from botocore.exceptions import BotoCoreError, ClientError
from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class PrivateStorage(LazyObject):
    """``storages["private"]``, looked up on first use: a model's file field holds this, not a backend
    chosen when the model was imported, so the settings (and tests) decide where files go."""

    def _setup(self):
        self._wrapped = storages["private"]


private_files = PrivateStorage()


@receiver(setting_changed)
def _forget_backend(*, setting, **kwargs):
    if setting == "STORAGES":
        private_files._wrapped = empty


def private_storage() -> Storage:
    """The private storage (the callable a model's ``FileField(storage=...)`` names)."""
    return private_files


def is_unavailable(error: BaseException) -> bool:
    """Whether ``error`` means the file store cannot be reached now (as opposed to a missing file)."""
    if isinstance(error, BotoCoreError):
        return True  # no connection, timed out, endpoint not answering
    if isinstance(error, ClientError):
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        return status >= 500  # the store answered, but is failing or overloaded
    return False

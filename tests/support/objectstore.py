"""A real S3-compatible object store for the tests: moto's standalone server (``moto_server``).

``make test`` starts one on 127.0.0.1:9000 when none answers there (as it starts PostgreSQL and
Redis); a test run without make starts its own. Each test gets a bucket of its own. Tests that stop
the store start a throwaway server of their own, so others are not disturbed.
"""

import os
import signal
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
import requests
from botocore.config import Config

from tests.support.services import free_port, wait_until

SHARED_ENDPOINT = os.environ.get("TEST_S3_ENDPOINT", "http://127.0.0.1:9000")
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "portal-test", "AWS_SECRET_ACCESS_KEY": "portal-test-secret"}
REGION = "eu-west-2"


def answers(endpoint: str) -> bool:
    try:
        requests.get(endpoint, timeout=2)
    except requests.RequestException:
        return False
    return True


class ObjectStoreServer:
    """A moto_server process on a port of its own, which a test may stop, pause and start again."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.process = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        moto = Path(sys.executable).with_name("moto_server")
        self.process = subprocess.Popen(
            [str(moto), "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(lambda: answers(self.endpoint), 30)
        return self

    def stop(self):
        """Gone: connections are refused (and, as moto keeps objects in memory, its files are lost)."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)

    def pause(self):
        """Not answering: connections are accepted but nothing comes back (a hung or overloaded store)."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)


@dataclass
class Bucket:
    name: str
    endpoint: str

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            config=Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 1}),
        )

    def create(self) -> "Bucket":
        self.client().create_bucket(Bucket=self.name, CreateBucketConfiguration={"LocationConstraint": REGION})
        return self

    def object_keys(self) -> list[str]:
        listing = self.client().list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client().get_object(Bucket=self.name, Key=key)["Body"].read()

    def environ(self, read_timeout: float = 3) -> dict[str, str]:
        """The variables an operator sets to put the portal's files in this bucket."""
        return {
            **CREDENTIALS,
            "AWS_STORAGE_BUCKET_NAME": self.name,
            "AWS_S3_ENDPOINT_URL": self.endpoint,
            "AWS_S3_REGION_NAME": REGION,
            "AWS_S3_CONNECT_TIMEOUT": "2",
            "AWS_S3_READ_TIMEOUT": str(read_timeout),
            "AWS_S3_MAX_ATTEMPTS": "1",
        }

    def storage_settings(self, read_timeout: float = 3) -> dict:
        """The STORAGES entry the portal's settings make of :meth:`environ`."""
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": self.name,
                "endpoint_url": self.endpoint,
                "region_name": REGION,
                "access_key": CREDENTIALS["AWS_ACCESS_KEY_ID"],
                "secret_key": CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
                "default_acl": None,
                "file_overwrite": False,
                "client_config": Config(connect_timeout=2, read_timeout=read_timeout, retries={"max_attempts": 1}),
            },
        }


def new_bucket(endpoint: str) -> Bucket:
    return Bucket(name=f"portal-{uuid.uuid4().hex[:16]}", endpoint=endpoint).create()


def use_storage(settings, backend: dict) -> None:
    """Point the portal's private files (and the default storage) at ``backend`` for this test."""
    settings.STORAGES = {**settings.STORAGES, "private": backend, "default": backend}


def use_folder(settings, location) -> None:
    use_storage(settings, {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": location}})


@pytest.fixture(scope="session")
def object_store_endpoint():
    """The shared object store's address: make's, or one started for this test process."""
    if answers(SHARED_ENDPOINT):
        yield SHARED_ENDPOINT
        return
    server = ObjectStoreServer().start()
    yield server.endpoint
    server.stop()


@pytest.fixture
def bucket(object_store_endpoint):
    return new_bucket(object_store_endpoint)


@pytest.fixture
def s3_private_files(settings, bucket):
    """This test's private files in its own bucket of the real object store."""
    use_storage(settings, bucket.storage_settings())
    return bucket


@pytest.fixture
def throwaway_object_store():
    server = ObjectStoreServer().start()
    yield server
    if server.process.poll() is None:
        server.resume()
    server.stop()

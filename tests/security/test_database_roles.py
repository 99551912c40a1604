"""A real installation with two roles: ``migrate`` runs as the owner (DATABASE_MIGRATE_URL) and grants
the portal's login role (DATABASE_URL) what it needs; that role owns nothing, adds to and reads the
audit trail, and cannot change it. What the owner changes behind the portal's back, verify_trail names."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("heavy")]
ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"


def manage(*args, env, check=True):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=check
    )


def superuser_sql(statement, dbname="postgres"):
    db = psycopg2.connect(host=HOST, user="postgres", dbname=dbname)
    db.autocommit = True
    with db.cursor() as cursor:
        cursor.execute(statement)
    db.close()


@pytest.fixture(scope="module")
def installation(tmp_path_factory):
    """A fresh database owned by an owner role, migrated as that owner, and a portal login role."""
    suffix = uuid.uuid4().hex[:10]
    dbname, owner, portal = f"roles_{suffix}", f"owner_{suffix}", f"portal_{suffix}"
    superuser_sql(f'CREATE ROLE "{owner}" LOGIN')
    superuser_sql(f'CREATE ROLE "{portal}" LOGIN')
    superuser_sql(f'CREATE DATABASE "{dbname}" OWNER "{owner}"')
    superuser_sql(f'ALTER SCHEMA public OWNER TO "{owner}"', dbname)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "esafety.settings",
        "DATABASE_URL": f"postgres://{portal}@{HOST}:5432/{dbname}",
        "DATABASE_MIGRATE_URL": f"postgres://{owner}@{HOST}:5432/{dbname}",
        "PRIVATE_MEDIA_ROOT": str(tmp_path_factory.mktemp("private")),
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "REDIS_URL": "",
    }
    manage("migrate", "--noinput", env=env)
    yield {"env": env, "dbname": dbname, "owner": owner, "portal": portal}
    superuser_sql(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
    superuser_sql(f'DROP ROLE IF EXISTS "{portal}"')
    superuser_sql(f'DROP ROLE IF EXISTS "{owner}"')


def connect(installation, role):
    db = psycopg2.connect(host=HOST, user=installation[role], dbname=installation["dbname"])
    db.autocommit = True
    return db


RECORD = (
    "from activity.services import activity_record\n"
    "for n in range(5): activity_record('exported', actor_label=f'person{n}@example.org', summary='List')"
)


def test_the_tables_belong_to_the_owner_and_the_portal_owns_nothing(installation):
    with connect(installation, "owner").cursor() as cursor:
        cursor.execute("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")
        assert cursor.fetchall() == [(installation["owner"],)]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE activity_activityevent SET summary = 'x'",
        "DELETE FROM activity_activityevent",
        "TRUNCATE activity_activityevent",
        "ALTER TABLE activity_activityevent DISABLE TRIGGER activity_event_append_only",
        "DROP TABLE activity_activityevent",
        "ALTER TABLE activity_activityevent ADD COLUMN x int",
    ],
)
def test_the_portals_role_cannot_change_the_trail(installation, statement):
    with connect(installation, "portal").cursor() as cursor, pytest.raises(psycopg2.Error) as refused:
        cursor.execute(statement)
    assert isinstance(refused.value, psycopg2.errors.InsufficientPrivilege)


def test_the_portal_writes_the_trail_and_the_owners_tampering_is_named(installation):
    env = installation["env"]
    portal_env = {**env}
    portal_env.pop("DATABASE_MIGRATE_URL")  # the web and worker processes know only their own URL
    manage("shell", "-c", RECORD, env=portal_env)
    assert "The audit trail is whole" in manage("verify_trail", env=portal_env).stdout
    with connect(installation, "owner").cursor() as cursor:
        cursor.execute("SELECT id FROM activity_activityevent ORDER BY id")
        ids = [row[0] for row in cursor.fetchall()]
        cursor.execute("ALTER TABLE activity_activityevent DISABLE TRIGGER activity_event_append_only")
        cursor.execute("UPDATE activity_activityevent SET summary = 'Nothing' WHERE id = %s", [ids[2]])
        cursor.execute("ALTER TABLE activity_activityevent ENABLE TRIGGER activity_event_append_only")
    failed = manage("verify_trail", env=portal_env, check=False)
    assert failed.returncode == 1
    assert f"Event #{ids[2]}" in failed.stderr and "no longer matches its hash" in failed.stderr
    print(failed.stderr)  # the words of the report, for the record

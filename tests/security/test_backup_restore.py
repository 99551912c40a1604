"""The documented backup (pg_dump) and restore (pg_restore) give back every record."""

import io
import subprocess
import uuid

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection
from psycopg2 import sql

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("heavy"), pytest.mark.django_db(transaction=True)]


def table_fingerprints(dbname: str) -> dict[str, tuple[int, str]]:
    """Each table's row count and a checksum of all its rows."""
    with psycopg2.connect(host="127.0.0.1", user="postgres", dbname=dbname) as db, db.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [row[0] for row in cursor.fetchall()]
        fingerprints = {}
        query = sql.SQL("SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {} t")
        for table in tables:
            cursor.execute(query.format(sql.Identifier(table)))
            fingerprints[table] = cursor.fetchone()
    return fingerprints


def test_a_backup_restores_every_record(tmp_path):
    call_command("seed_demo", stdout=io.StringIO())
    source = connection.settings_dict["NAME"]
    dump = tmp_path / "esafety.dump"
    target = f"restore_{uuid.uuid4().hex[:12]}"
    # The commands of the README's "Backup and restore".
    subprocess.run(["pg_dump", "-h", "127.0.0.1", "-U", "postgres", "-Fc", "-f", str(dump), source], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", target], check=True)
    try:
        subprocess.run(
            ["pg_restore", "-h", "127.0.0.1", "-U", "postgres", "--no-owner", "-d", target, str(dump)], check=True
        )
        before, after = table_fingerprints(source), table_fingerprints(target)
        assert before == after
        counted = {table: count for table, (count, _sum) in before.items()}
        for table in (
            "agencies_agency",
            "champions_nomination",
            "incidents_incident",
            "audits_auditreturn",
            "actionplan_action",
            "accounts_user",
        ):
            assert counted[table] > 0, f"the demo should have rows in {table}"
    finally:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", target], check=True)

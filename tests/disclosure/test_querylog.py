"""The query log is append-only and hash-chained; verify_query_log finds the first altered, inserted or deleted entry."""

import json

import pytest
from django.core.management import call_command
from django.db import connection

from disclosure import querylog
from disclosure.models import QueryLogEntry

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def chain(world, make_official, department):
    official = make_official("gov", department=department)
    for i in range(5):
        querylog.append(actor=official, subject=world["company"], action="government", scope=["full"],
                        channel="api", purpose="other_legal", purpose_label=f"查询{i}")
    return list(QueryLogEntry.objects.order_by("seq"))


def raw(sql, params=()):
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("ALTER TABLE disclosure_querylogentry DISABLE TRIGGER disclosure_querylog_append_only")
        cur.execute(sql, params)
        if connection.vendor == "postgresql":
            cur.execute("ALTER TABLE disclosure_querylogentry ENABLE TRIGGER disclosure_querylog_append_only")


def run_verify():
    with pytest.raises(SystemExit) as exc:
        call_command("verify_query_log")
    return exc.value.code


def test_intact_chain_verifies(chain, capsys):
    call_command("verify_query_log")
    assert "5" in capsys.readouterr().out
    assert chain[1].prev_hash == chain[0].hash and len(chain[0].hash) == 64


def test_model_refuses_update_and_delete(chain):
    entry = chain[0]
    entry.purpose_label = "x"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        QueryLogEntry.objects.filter(pk=entry.pk).update(purpose_label="x")
    with pytest.raises(PermissionError):
        QueryLogEntry.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database trigger exists on PostgreSQL only")
def test_database_refuses_update_on_postgresql(chain):
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE disclosure_querylogentry SET purpose_label = 'x'")


def test_altered_entry_detected(chain, capsys):
    raw("UPDATE disclosure_querylogentry SET purpose_label = %s WHERE seq = 3", ["篡改"])
    assert run_verify() == 1
    assert "altered at seq 3" in capsys.readouterr().err


def test_altered_entry_with_recomputed_hash_detected(chain, capsys):
    e = chain[2]
    fields = {name: getattr(e, name) for name in querylog.HASHED_FIELDS}
    fields["purpose_label"] = "篡改"
    raw("UPDATE disclosure_querylogentry SET purpose_label = %s, hash = %s WHERE seq = 3", ["篡改", querylog.entry_hash(fields)])
    assert run_verify() == 1
    assert "seq 3" in capsys.readouterr().err


def test_deleted_entry_detected(chain, capsys):
    raw("DELETE FROM disclosure_querylogentry WHERE seq = 2")
    assert run_verify() == 1
    assert "deleted at seq 2" in capsys.readouterr().err


def test_deleted_tail_detected(chain, capsys):
    raw("DELETE FROM disclosure_querylogentry WHERE seq = 5")
    assert run_verify() == 1
    assert "deleted at seq 5" in capsys.readouterr().err


def test_inserted_entry_detected(chain, capsys):
    e = chain[1]
    fields = {name: getattr(e, name) for name in querylog.HASHED_FIELDS}
    fields.update(seq=6, purpose_label="伪造", prev_hash=chain[-1].hash)
    digest = querylog.entry_hash(fields)
    cols = ", ".join(list(querylog.HASHED_FIELDS) + ["hash"])
    values = [fields[n] if n != "scope" else json.dumps(fields[n]) for n in querylog.HASHED_FIELDS] + [digest]
    raw(f"INSERT INTO disclosure_querylogentry ({cols}) VALUES ({', '.join(['%s'] * len(values))})", values)
    assert run_verify() == 1
    assert "inserted" in capsys.readouterr().err

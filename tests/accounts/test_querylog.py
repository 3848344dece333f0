"""The query log is append-only and hash-chained; verify_query_log finds the first altered, inserted or deleted entry."""

import json

import pytest
from django.core.management import call_command
from django.db import connection

from accounts import querylog
from accounts.models import QueryLogEntry

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
def test_database_refuses_update_and_delete_on_postgresql(chain):
    """The trigger of disclosure 0002 still guards the model's table after the model moved to accounts."""
    from django.db import DatabaseError, transaction

    table = connection.ops.quote_name(QueryLogEntry._meta.db_table)
    for statement in (f"UPDATE {table} SET purpose_label = 'x'", f"DELETE FROM {table} WHERE seq = 5"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
            cur.execute(statement)
    assert querylog.verify_chain() == (5, None)


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


# --- the keyed chain ------------------------------------------------------------------------------

# Each hashed field altered alone, in place, by someone with database access. Every field the hash covers is here:
# test_every_hashed_field_has_a_tamper_case fails when a field is added to the hash without a case.
TAMPERED = {
    "seq": "seq = 99",
    "at": "at = at + interval '1 second'" if connection.vendor == "postgresql" else "at = datetime(at, '+1 second')",
    "actor_kind": "actor_kind = 'citizen'",
    "actor_id": "actor_id = actor_id + 1000",
    "actor_label": "actor_label = '某某'",
    "department_code": "department_code = 'SWJ'",
    "subject_id": "subject_id = subject_id + 1",
    "subject_code": "subject_code = '91650200MA0000000X'",
    "subject_code_hash": "subject_code_hash = '" + "0" * 64 + "'",
    "action": "action = 'report'",
    "scope": "scope = '[\"trust\"]'",
    "purpose": "purpose = 'credit_check'",
    "purpose_label": "purpose_label = '篡改'",
    "channel": "channel = 'portal'",
    "reference": "reference = 'R-1'",
    "prev_hash": "prev_hash = '" + "f" * 64 + "'",
}


def test_every_hashed_field_has_a_tamper_case():
    assert set(TAMPERED) == set(querylog.HASHED_FIELDS)


@pytest.mark.parametrize("field", sorted(TAMPERED))
def test_each_hashed_field_altered_alone_is_detected(chain, field, capsys):
    raw(f"UPDATE disclosure_querylogentry SET {TAMPERED[field]} WHERE seq = 3")
    assert run_verify() == 1
    assert "FAILED" in capsys.readouterr().err


def test_stored_hash_altered_alone_is_detected(chain, capsys):
    raw("UPDATE disclosure_querylogentry SET hash = %s WHERE seq = 3", ["a" * 64])
    assert run_verify() == 1


def test_hash_is_an_hmac_under_the_key_outside_the_database(chain, settings):
    import hashlib
    import hmac

    entry = chain[0]
    body = querylog.canonical({name: getattr(entry, name) for name in querylog.HASHED_FIELDS}).encode()
    assert entry.hash == hmac.new(settings.QUERY_LOG_HASH_KEY.encode(), body, hashlib.sha256).hexdigest()
    assert entry.hash != hashlib.sha256(body).hexdigest()
    settings.QUERY_LOG_HASH_KEY = "another-key-an-attacker-might-guess-0123456789"
    _, problem = querylog.verify_chain()
    assert problem is not None and problem.seq == 1  # nothing verifies under any other key


def _recompute_plain_after_deleting(seq_deleted: int):
    """The attack: delete an entry, renumber and recompute every later hash with plain SHA-256, move the
    head — everything an attacker with database access but without the key can do."""
    import hashlib

    raw("DELETE FROM disclosure_querylogentry WHERE seq = %s", [seq_deleted])
    raw("UPDATE disclosure_querylogentry SET seq = seq - 1 WHERE seq > %s", [seq_deleted])
    prev = QueryLogEntry.objects.get(seq=seq_deleted - 1).hash if seq_deleted > 1 else querylog.GENESIS
    for entry in QueryLogEntry.objects.filter(seq__gte=seq_deleted).order_by("seq"):
        fields = {name: getattr(entry, name) for name in querylog.HASHED_FIELDS}
        fields["prev_hash"] = prev
        digest = hashlib.sha256(querylog.canonical(fields).encode()).hexdigest()
        raw("UPDATE disclosure_querylogentry SET prev_hash = %s, hash = %s WHERE id = %s", [prev, digest, entry.id])
        prev = digest
    last = QueryLogEntry.objects.order_by("-seq").first()
    raw("UPDATE disclosure_queryloghead SET seq = %s, hash = %s WHERE id = 1", [last.seq, prev])


def test_delete_and_recompute_with_plain_sha256_is_detected(chain, capsys):
    _recompute_plain_after_deleting(2)
    assert QueryLogEntry.objects.count() == 4
    assert run_verify() == 1
    assert "altered at seq 2" in capsys.readouterr().err


def test_migration_rechains_a_verified_plain_chain_under_the_key(chain):
    """Migration 0005 checks the old (plain SHA-256) chain first, then re-chains it keyed, on record in the head."""
    import importlib

    from django.db.migrations.loader import MigrationLoader

    from accounts.models import QueryLogHead

    migration = importlib.import_module("disclosure.migrations.0005_query_log_hmac")
    # The models as that migration sees them (they were disclosure's then).
    apps = MigrationLoader(connection).project_state(("disclosure", "0005_query_log_hmac")).apps
    editor = type("Editor", (), {"connection": connection})()
    migration.to_plain(apps, editor)  # the state before the migration: an unkeyed chain
    assert querylog.verify_chain()[1] is not None
    migration.to_keyed(apps, editor)
    assert querylog.verify_chain() == (5, None)
    assert QueryLogHead.objects.get(id=1).rechained[-1]["migration"] == "disclosure.0005_query_log_hmac"
    # A plain chain that was already broken is refused, not laundered by the re-hash.
    migration.to_plain(apps, editor)
    raw("UPDATE disclosure_querylogentry SET purpose_label = '篡改' WHERE seq = 4")
    with pytest.raises(RuntimeError, match="seq 4"):
        migration.to_keyed(apps, editor)

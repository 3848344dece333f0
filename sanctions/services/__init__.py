"""Workflows of incentives and punishments, one module per sub-domain. Each step runs in a transaction, checks its
preconditions, refuses with ``credit_platform.exceptions.DomainError`` and is recorded with who acted and why
(``SanctionEvent``).

* ``measures`` — measure lists (Karamay art. 23, Heilongjiang art. 39);
* ``red_list`` — 守信激励对象名单 (Karamay art. 22, Heilongjiang art. 38);
* ``severe_list`` — 严重失信主体名单 with due process (Karamay art. 15, Heilongjiang arts. 38, 45 and 55, Qufu art. 35);
* ``lifting`` — measures lifted and restored as their reasons go and come back;
* ``record_hooks`` — record changes and repairs reaching the lists, measures and evaluations;
* ``commitments`` — 信用承诺 (Heilongjiang arts. 28–30 and 34);
* ``evaluation`` — 公共信用综合评价 and 约谈;
* ``common`` — the step log, who is told, a subject's facts.

Stable entry points used by other apps, re-exported here:

* ``on_record_repaired(record, *, actor, reason)`` / ``on_repair_revoked(record, *, actor, reason)`` — the repair
  workflow calls these when a repair is approved / revoked;
* ``on_records_changed(record_ids, *, actor=None)`` — the ``records_changed`` receiver, the ``post_save`` receiver
  and the history-watermark sweep call it;
* ``public_list_entries(subject)`` / ``public_commitments(subject)`` — what the portal shows on a subject's page;
* ``subject_facts(subject)`` — everything the rules need to know about a subject; ``facts_for_subjects(ids)`` and
  ``recompute_evaluations(facts)`` the same for many subjects at once, set-based.
"""

from sanctions.services.commitments import (
    COMMITMENT_TYPE_LABELS,
    ROUTE_KINDS,
    commitment_route_for,
    public_commitments,
    record_commitment,
    verify_commitment,
)
from sanctions.services.common import (
    SEVERE,
    broken_commitments,
    credential_label,
    department_officers,
    facts_for_subjects,
    log_step,
    notify_all,
    platform_admins,
    save_with_reason,
    steps_of,
    subject_facts,
    subject_is_public,
    subject_users,
    today,
)
from sanctions.services.evaluation import recompute_evaluation, recompute_evaluations, record_interview
from sanctions.services.lifting import lift_measures_for, live_refs, restore_measures_for
from sanctions.services.measures import (
    approve_list,
    measure_list_errors,
    new_list_version,
    open_public_comment,
    publish_list,
    repeal_list,
    withdraw_measure,
)
from sanctions.services.record_hooks import on_record_repaired, on_records_changed, on_repair_revoked
from sanctions.services.red_list import add_to_red_list, check_red_list, remove_from_red_list
from sanctions.services.severe_list import (
    decide_listing,
    defence_period,
    list_court_debtor,
    propose_severe_listing,
    public_list_entries,
    publicity_stop_due,
    record_responsible_persons,
    remove_from_severe_list,
    review_defence,
    send_prior_notice,
    stop_publicity,
    submit_defence,
    unreviewed_defences,
    validate_proposal,
    withdraw_responsible_persons,
)

__all__ = [
    "COMMITMENT_TYPE_LABELS", "ROUTE_KINDS", "SEVERE", "add_to_red_list", "approve_list", "broken_commitments",
    "check_red_list", "commitment_route_for", "credential_label", "decide_listing", "defence_period", "department_officers",
    "facts_for_subjects",
    "lift_measures_for", "list_court_debtor", "live_refs", "log_step", "measure_list_errors", "new_list_version",
    "notify_all", "on_record_repaired", "on_records_changed", "on_repair_revoked", "open_public_comment",
    "platform_admins", "propose_severe_listing", "public_commitments", "public_list_entries", "publicity_stop_due",
    "publish_list", "recompute_evaluation", "recompute_evaluations", "record_commitment", "record_interview", "record_responsible_persons",
    "remove_from_red_list", "remove_from_severe_list", "repeal_list", "restore_measures_for", "review_defence",
    "save_with_reason", "send_prior_notice", "steps_of", "stop_publicity", "subject_facts", "subject_is_public",
    "subject_users", "submit_defence", "today", "unreviewed_defences", "validate_proposal", "verify_commitment",
    "withdraw_measure", "withdraw_responsible_persons",
]

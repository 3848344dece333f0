"""The windows task computes each distinct case once (``disclosure.windows.cached_window``): for every profile and
many varied facts the memoised window is exactly the one ``compute_window`` computes, and a profile never gets a
window cached for another."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from credit_platform.policies import PROFILES
from disclosure import windows
from disclosure.windows import RecordFacts, cached_window, compute_window


def _varied_facts() -> list[RecordFacts]:
    out = []
    combos = itertools.product(
        ("dishonesty", "trust", "basic"), ("legal_person", "natural_person"), ("public", "non_public"),
        ("minor", "general", "severe", "specific_severe"),
        ((), ("fine",), ("warning",), ("fine", "permit_revocation")),
    )
    for n, (category, subject_type, openness, severity, penalty_types) in enumerate(combos):
        decided = date(2020 + n % 6, 1 + n % 12, 1 + n % 28)
        out.append(RecordFacts(
            category=category, subject_type=subject_type, openness=openness, severity=severity,
            domain=("food_safety", "", "environment")[n % 3], penalty_types=penalty_types,
            long_term_cases=("criminal_liability",) if n % 17 == 0 else (),
            decided_on=decided if n % 11 else None, occurred_on=date(2019, 1 + n % 12, 1 + n % 27),
            ended_on=date(2025, 1 + n % 12, 2) if n % 5 == 0 else None, continuing=n % 7 == 0,
            is_minor=n % 13 == 0, catalog_months=((3, 12), (None, None), (6, 36))[n % 3],
            catalog_basis="《目录》" if n % 2 else "", received_on=date(2026, 1, 1 + n % 28),
        ))
    return out


@pytest.mark.parametrize("code", sorted(PROFILES))
def test_the_cached_window_is_the_computed_one_under_every_profile(code):
    profile = PROFILES[code]
    facts = _varied_facts()
    assert len(facts) == 3 * 2 * 2 * 4 * 4
    for f in facts * 2:  # the second pass is served from the cache
        cached, computed = cached_window(f, profile), compute_window(f, profile)
        assert cached == computed
        assert (cached.rule, cached.article, cached.retain_rule, cached.retain_article) == (
            computed.rule, computed.article, computed.retain_rule, computed.retain_article)


def test_profiles_never_share_a_cached_window(monkeypatch):
    monkeypatch.setattr(windows, "_WINDOWS", {})
    f = RecordFacts(category="dishonesty", subject_type="legal_person", severity="general",
                    decided_on=date(2024, 1, 15), penalty_types=("fine",))
    results = {code: cached_window(f, p) for code, p in PROFILES.items()}
    for code, p in PROFILES.items():
        assert results[code] == compute_window(f, p)
    assert len({w.article for w in results.values()}) > 1  # the profiles do differ on this record


def test_the_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(windows, "_WINDOWS", {})
    monkeypatch.setattr(windows, "WINDOW_CACHE_SIZE", 10)
    profile = PROFILES["karamay"]
    for f in _varied_facts()[:25]:
        assert cached_window(f, profile) == compute_window(f, profile)
    assert len(windows._WINDOWS) <= 10

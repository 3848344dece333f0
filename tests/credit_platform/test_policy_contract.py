"""The profile contract: every attribute the code reads from a policy profile exists on every profile.

Policy attributes are read directly (``policy.push_deadline_days``), never with ``getattr(policy, name, None)``, so a
typo fails here (and at the first call) instead of silently meaning "no deadline". The reads are collected from the
source of every app: ``policy.<attr>`` / ``profile.<attr>`` / ``ctx.policy.<attr>`` / ``active_policy().<attr>``,
``getattr(policy, "<attr>")`` and helpers called as ``helper(policy, "<attr>")``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from credit_platform.policies import PROFILES
from records.rules import majority_age

ROOT = Path(__file__).resolve().parents[2]
APPS = ("credit_platform", "catalog", "records", "accounts", "disclosure", "sanctions", "objections", "repair",
        "portal", "config")
POLICY_NAMES = {"policy", "profile"}
POLICY_FACTORIES = {"active_policy", "get_policy"}


def _is_policy(node: ast.AST) -> bool:
    if isinstance(node, ast.Name):
        return node.id in POLICY_NAMES
    if isinstance(node, ast.Attribute):  # ctx.policy, self.policy
        return node.attr in POLICY_NAMES
    if isinstance(node, ast.Call):
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        return name in POLICY_FACTORIES
    return False


def _reads(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _is_policy(node.value) and isinstance(node.ctx, ast.Load):
            yield node.attr, node.lineno
        elif isinstance(node, ast.Call):
            args = node.args
            for first, second in zip(args, args[1:], strict=False):
                if _is_policy(first) and isinstance(second, ast.Constant) and isinstance(second.value, str):
                    yield second.value, node.lineno


def collect_reads() -> dict[str, list[str]]:
    reads: dict[str, list[str]] = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for attr, line in _reads(tree):
                reads.setdefault(attr, []).append(f"{path.relative_to(ROOT)}:{line}")
    return reads


READS = collect_reads()


def test_the_walk_finds_the_reads():
    # not vacuous: the deadlines, the publicity periods and the age of majority are read across the apps
    assert {"push_deadline_days", "age_of_majority", "correction_days", "severe_list_linked_persons"} <= set(READS)
    assert len(READS) > 40


@pytest.mark.parametrize("profile", list(PROFILES.values()), ids=lambda p: p.code)
def test_every_attribute_read_exists_on_every_profile(profile):
    missing = {attr: where for attr, where in READS.items() if not hasattr(profile, attr)}
    assert not missing, f"{profile.code} lacks attributes the code reads: {missing}"


def test_the_age_of_majority_comes_from_the_profile():
    """民法典第十七条: eighteen, carried by every profile as a rule (not a hard-coded fallback)."""
    for profile in PROFILES.values():
        assert majority_age(profile) == profile.age_of_majority.value == 18

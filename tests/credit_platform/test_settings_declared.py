"""Every setting the apps read is declared in config/settings.py (from the environment, with its default), so the
README's configuration table and one file tell an operator everything that can be set.

An AST walk over the apps collects ``settings.NAME`` reads and ``getattr(settings, "NAME")`` lookups; each name must be
assigned in config/settings.py or be one of Django's own settings. A read with a fallback default
(``getattr(settings, "NAME", default)``) is refused too: it is how a setting ends up living only inside an app.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import global_settings

ROOT = Path(__file__).resolve().parents[2]
APPS = ("credit_platform", "catalog", "records", "accounts", "disclosure", "sanctions", "objections", "repair",
        "portal", "config")
SETTINGS_FILE = ROOT / "config" / "settings.py"


def declared_in_settings() -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(SETTINGS_FILE.read_text(encoding="utf-8"))):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        names.update(t.id for t in targets if isinstance(t, ast.Name) and t.id.isupper())
    return names


def _is_settings(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id == "settings"


def app_reads() -> tuple[dict[str, list[str]], list[str]]:
    reads: dict[str, list[str]] = {}
    with_default: list[str] = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or path == SETTINGS_FILE:
                continue
            where = path.relative_to(ROOT)
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
                if isinstance(node, ast.Attribute) and _is_settings(node.value) and node.attr.isupper():
                    reads.setdefault(node.attr, []).append(f"{where}:{node.lineno}")
                elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr"
                      and node.args and _is_settings(node.args[0])):
                    if len(node.args) > 2:
                        with_default.append(f"{where}:{node.lineno}")
                    if len(node.args) > 1 and isinstance(node.args[1], ast.Constant):
                        reads.setdefault(node.args[1].value, []).append(f"{where}:{node.lineno}")
    return reads, with_default


def test_every_setting_read_is_declared():
    reads, _ = app_reads()
    assert {"CREDIT_POLICY", "RECORDS_BATCH_LIMIT", "SWEEP_BATCH_SIZE"} <= set(reads)  # the walk sees the apps
    known = declared_in_settings() | {name for name in dir(global_settings) if name.isupper()}
    undeclared = {name: where for name, where in reads.items() if name not in known}
    assert not undeclared, f"settings read by the apps but not declared in config/settings.py: {undeclared}"


def test_no_setting_is_read_with_a_fallback_default():
    _, with_default = app_reads()
    assert not with_default, f"getattr(settings, NAME, default) hides a setting from config/settings.py: {with_default}"

"""The order between features (README, "How the code is laid out"), enforced.

    core < auth < audit < taxonomy < contacts < salutations < campaigns < outreach
      < duplicates < {imports, exports, reports, agenda} < {mailing, letters} < mailbox < privacy < selections < {home, api}
      < composing (demo, cli, migrations, backup)

Duplicates comes before the import because import matching reuses the duplicate finder, so the
app has one notion of "same person".

A module imports only from its own feature or one before it. Views (`views.py`, `*_views.py`) and
CLI modules (`cli.py`) may compose across features; so may the composing modules that assemble the
whole app. Siblings of one rank (imports and exports, say) don't import each other.
"""

from __future__ import annotations

import ast
import shutil
import sys
from pathlib import Path

import pytest

CRM = Path(__file__).resolve().parent.parent / "crm"

ORDER: tuple[set[str], ...] = (
    {"core"},  # crm/*.py (extensions, errors, values, folding, ids, timeutil, jobs, ...) and CORE_PACKAGES
    {"auth"},
    {"audit"},
    {"taxonomy"},
    {"contacts"},
    {"salutations"},
    {"campaigns"},
    {"outreach"},
    {"duplicates"},
    {"imports", "exports", "reports", "agenda"},  # agenda: calendar feeds, invites, the month view
    {"mailing", "letters"},  # sending from the CRM: by email (with each Message-ID), on paper
    {"mailbox"},  # files what arrives: replies thread onto what mailing sent
    {"privacy"},
    {"selections"},  # tick rows of the lists, then tag, archive, export, write to them all at once
    {"home", "api"},
    {"demo", "cli", "migrations", "app", "backup"},  # they assemble the whole app from its features
)
CORE_PACKAGES = {"spreadsheets", "sql"}  # shared helpers with no feature of their own
RANK = {feature: rank for rank, features in enumerate(ORDER) for feature in features}

# Top-level modules that are not core: they compose every feature.
COMPOSING_MODULES = {
    "crm": "app",  # create_app
    "crm.models": "app",  # every table, for create_all and Alembic
    "crm.cli": "cli",
    "crm.template_helpers": "app",  # Jinja filters for every feature's templates
}

# Known back-edges, each to go when its cause does. Keep this list short and say why.
ALLOWED: set[tuple[str, str]] = set()  # no back-edge is left: a new one is a design decision, not an entry here


def feature_of(module: str) -> str:
    if module in COMPOSING_MODULES:
        return COMPOSING_MODULES[module]
    parts = module.split(".")
    if len(parts) >= 2 and (CRM / parts[1]).is_dir() and parts[1] not in CORE_PACKAGES:
        return parts[1]
    return "core"


def may_compose(path: Path) -> bool:
    return path.name == "views.py" or path.name.endswith("_views.py") or path.name == "cli.py"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(CRM.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(name: str) -> bool:
    path = CRM.parent / name.replace(".", "/")
    return path.is_dir() or path.with_suffix(".py").exists()


def imported_modules(path: Path) -> set[str]:
    """Every crm module `path` imports, at module level or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package.pop()
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            # `from crm import jobs` imports the module crm.jobs, not the app factory in crm/__init__.py
            submodules = [f"{target}.{alias.name}" for alias in node.names if _is_module(f"{target}.{alias.name}")]
            found.update(submodules if len(submodules) == len(node.names) else [target, *submodules])
    return {name for name in found if name == "crm" or name.startswith("crm.")}


def back_edges() -> list[str]:
    edges = []
    for path in sorted(CRM.rglob("*.py")):
        if "versions" in path.parts or may_compose(path):
            continue
        source = feature_of(module_name(path))
        if source in ORDER[-1]:
            continue
        for target_module in sorted(imported_modules(path)):
            target = feature_of(target_module)
            if target == source or (source, target) in ALLOWED:
                continue
            if RANK[target] >= RANK[source]:
                edges.append(f"{module_name(path)} ({source}) imports {target_module} ({target})")
    return edges


def test_every_feature_has_a_place_in_the_order():
    packages = {path.name for path in CRM.iterdir() if (path / "__init__.py").exists()}
    assert packages <= set(RANK) | CORE_PACKAGES, packages - set(RANK)


def test_features_import_only_from_features_before_them():
    assert back_edges() == []


@pytest.mark.parametrize(
    ("added", "source"),
    [
        ("contacts/added.py", "from crm.outreach.models import Outreach\n"),
        ("auth/added.py", "def later():\n    from crm.contacts import people\n"),  # function-level
        ("added.py", "from .campaigns import service\n"),  # core, relative
        ("exports/added.py", "import crm.reports.service\n"),  # a sibling
    ],
)
def test_a_back_edge_is_caught(tmp_path, monkeypatch, added, source):
    copy = tmp_path / "crm"
    shutil.copytree(CRM, copy, ignore=shutil.ignore_patterns("__pycache__", "versions", "*.yaml", "*.xlsx"))
    (copy / added).write_text(source)
    monkeypatch.setattr(sys.modules[__name__], "CRM", copy)
    assert [edge for edge in back_edges() if edge.startswith(module_name(copy / added) + " ")]

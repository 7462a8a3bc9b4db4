"""What a backup holds stays complete as the app grows."""

from __future__ import annotations

import re
from pathlib import Path

from crm.backup.contents import DATA_FOLDERS, LEFT_OUT_FILES, tables

CRM = Path(__file__).resolve().parents[2] / "crm"
# `Path(current_app.config["INSTANCE_DIR"]) / "attachments"`, `instance_dir / "secret_key"` …
_UNDER_INSTANCE = re.compile(r"""(?:INSTANCE_DIR"\]|instance_dir)\)?\s*/\s*["']([\w.-]+)["']""")


def test_everything_the_app_keeps_in_the_instance_folder_is_backed_up_or_left_out_on_purpose():
    names = {name for path in CRM.rglob("*.py") for name in _UNDER_INSTANCE.findall(path.read_text(encoding="utf-8"))}
    assert {"attachments", "imports", "secret_key", "jobs.sqlite3"} <= names  # the pattern still finds them
    assert names <= set(DATA_FOLDERS) | set(LEFT_OUT_FILES), "say in crm/backup/contents.py whether it is data"


def test_columns_restored_last_may_be_empty_until_then():
    filled_last = {(plan.table.name, name) for plan in tables() for name in plan.filled_last}
    assert ("organisation", "parent_id") in filled_last and ("outreach", "prompted_by_response_id") in filled_last
    assert all(plan.table.c[name].nullable for plan in tables() for name in plan.filled_last)

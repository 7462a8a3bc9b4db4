"""Where the letters' files live: instance/letters/templates/<key>.docx and instance/letters/merges/<key>/,
owner-only like everything the app writes (create_app's umask), in every backup (crm.backup.contents)."""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path

from flask import current_app

ZIP_NAME, COMBINED_NAME, PDF_NAME = "letters.zip", "letters.docx", "letters.pdf"
SAMPLE_TEMPLATE = Path(__file__).resolve().parent / "samples" / "sample_letter.docx"


def _folder(*parts: str) -> Path:
    path = Path(current_app.config["INSTANCE_DIR"]).joinpath("letters", *parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


def new_key() -> str:
    return secrets.token_hex(16)


def template_path(stored_name: str) -> Path:
    return _folder("templates") / f"{stored_name}.docx"


def merge_folder(stored_name: str) -> Path:
    return _folder("merges", stored_name)


def remove_merge_files(stored_name: str) -> None:
    if stored_name:
        shutil.rmtree(_folder("merges") / stored_name, ignore_errors=True)


def merge_files(merge) -> list[Path]:  # a LetterMerge (models import nothing from here)
    """Every file of a merge (erasure removes them after its commit)."""
    if not merge.stored_name:
        return []
    folder = Path(current_app.config["INSTANCE_DIR"]) / "letters" / "merges" / merge.stored_name
    return sorted(folder.iterdir()) if folder.is_dir() else []

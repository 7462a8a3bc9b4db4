"""What a backup or a restore moved, for the command's line or its --json."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crm.backup.archive import Manifest


@dataclass(frozen=True)
class Summary:
    file: str
    revision: str
    tables: dict[str, int]  # rows per table
    files: int
    file_bytes: int
    archive_bytes: int

    @classmethod
    def of(cls, file: str, manifest: Manifest, archive_bytes: int) -> Summary:
        return cls(
            file=file,
            revision=manifest.revision,
            tables={table.name: table.rows for table in manifest.tables},
            files=len(manifest.files),
            file_bytes=sum(entry.bytes for entry in manifest.files),
            archive_bytes=archive_bytes,
        )

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "revision": self.revision,
            "rows": self.rows,
            "tables": self.tables,
            "files": self.files,
            "file_bytes": self.file_bytes,
            "archive_bytes": self.archive_bytes,
        }

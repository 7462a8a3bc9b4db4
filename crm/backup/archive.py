"""The archive file: a zip of a manifest, one JSON-Lines member per table and the data files.

    manifest.json            format, format version, schema revision, when, and per member its
                             row count or size and SHA-256
    tables/<table>.jsonl     one row a line, a JSON list in the manifest's column order
    files/<folder>/<path>    attachments, uploaded spreadsheets, saved presets

The manifest is written last, once every member's count and checksum is known. Reading checks
everything a restore will rely on before anything is written: the zip, the manifest, each
member's checksum and count, and every value against its column's kind.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import tempfile
import time
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from crm.backup.columns import DECODERS, decoder
from crm.backup.contents import is_data_path

FORMAT = "advocacy-crm-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
_CHUNK = 1024 * 1024
# What a damaged zip raises while it is read, besides our own checks.
_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, KeyError, TypeError, IndexError, struct.error)


class Refused(Exception):
    """A backup or restore that cannot go ahead; the message is the one line the command prints."""


@dataclass
class TableEntry:
    name: str
    columns: list[list[Any]]  # [name, kind, nullable]
    primary_key: list[str]
    filled_last: list[str]
    rows: int = 0
    sha256: str = ""

    @property
    def member(self) -> str:
        return f"tables/{self.name}.jsonl"


@dataclass
class FileEntry:
    path: str  # under the instance folder: attachments/3f…
    bytes: int
    sha256: str

    @property
    def member(self) -> str:
        return f"files/{self.path}"


@dataclass
class Manifest:
    revision: str
    created_at: str
    database: str
    tables: list[TableEntry] = field(default_factory=list)
    files: list[FileEntry] = field(default_factory=list)
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        return {"format": data.pop("format"), "format_version": data.pop("format_version"), **data}


class ArchiveWriter:
    """Members streamed into a zip, each hashed as it is written."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._zip = zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6, allowZip64=True)

    @contextmanager
    def member(self, name: str) -> Iterator[_HashingWriter]:
        info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        with self._zip.open(info, "w", force_zip64=True) as raw:
            yield _HashingWriter(raw)

    def __enter__(self) -> ArchiveWriter:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._zip.close()  # after an error too: the file it was writing is about to be removed

    def finish(self, manifest: Manifest) -> None:
        info = zipfile.ZipInfo(MANIFEST, date_time=time.localtime()[:6])
        self._zip.writestr(info, json.dumps(manifest.as_json(), ensure_ascii=False, indent=1), zipfile.ZIP_DEFLATED)


class _HashingWriter:
    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self._hash = hashlib.sha256()
        self.bytes = 0

    def write(self, data: bytes) -> None:
        self._raw.write(data)
        self._hash.update(data)
        self.bytes += len(data)

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()


@contextmanager
def written_aside(path: Path) -> Iterator[IO[bytes]]:
    """A new file in `path`'s folder, mode 0600 (the archive holds personal data), renamed to
    `path` only when the block ends without an error; a failed backup leaves no half archive."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def encode_row(values: list[Any]) -> bytes:
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


class Archive:
    """An archive whose every member was checked (`check_archive`), opened for the restore to read."""

    def __init__(self, path: Path, manifest: Manifest) -> None:
        self.path = path
        self.manifest = manifest
        self._zip = zipfile.ZipFile(path)

    def close(self) -> None:
        self._zip.close()

    def rows(self, table: TableEntry) -> Iterator[list[Any]]:
        """The table's rows, decoded by their columns' kinds."""
        decoders = [decoder(kind) for _name, kind, _nullable in table.columns]
        with self._zip.open(table.member) as member:
            for line in member:
                yield [decode(value) for decode, value in zip(decoders, json.loads(line), strict=True)]

    def copy_file(self, entry: FileEntry, target: Path) -> None:
        with self._zip.open(entry.member) as source, open(target, "wb") as copy:
            while chunk := source.read(_CHUNK):
                copy.write(chunk)


def check_archive(path: Path, known_revisions: set[str]) -> Archive:
    """The archive, once everything in it is known good; otherwise Refused saying what is wrong."""
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = _manifest(archive, known_revisions)
            expected = {MANIFEST} | {t.member for t in manifest.tables} | {f.member for f in manifest.files}
            present = set(archive.namelist())
            if present != expected:
                unexpected = sorted(present ^ expected)[:3]
                raise Refused(f"{path} is damaged: its members do not match its manifest ({', '.join(unexpected)}).")
            for table in manifest.tables:
                _check_table(archive, table, path)
            for entry in manifest.files:
                _check_file(archive, entry, path)
    except FileNotFoundError:
        raise Refused(f"There is no file {path}.") from None
    except PermissionError:
        raise Refused(f"{path} cannot be read by this user.") from None
    except IsADirectoryError:
        raise Refused(f"{path} is a folder, not a backup.") from None
    except _DAMAGE as error:
        raise Refused(f"{path} is damaged or incomplete ({type(error).__name__}: {error}).") from None
    return Archive(path, manifest)


def _manifest(archive: zipfile.ZipFile, known_revisions: set[str]) -> Manifest:
    if MANIFEST not in archive.namelist():
        raise Refused(f"{archive.filename} is not an Advocacy CRM backup (it has no {MANIFEST}).")
    data = json.loads(archive.read(MANIFEST))
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise Refused(f"{archive.filename} is not an Advocacy CRM backup.")
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ValueError(f"format_version {version!r}")
    if version > FORMAT_VERSION:
        raise Refused(
            f"{archive.filename} was made by a newer version of Advocacy CRM (archive format {version}; "
            f"this version reads format {FORMAT_VERSION}). Restore it with that version or a later one."
        )
    if data["revision"] not in known_revisions:
        raise Refused(
            f"{archive.filename} was made by a newer version of Advocacy CRM (its database schema "
            f"{data['revision']} is unknown here). Restore it with that version or a later one."
        )
    tables = [TableEntry(**table) for table in data["tables"]]
    files = [FileEntry(**entry) for entry in data["files"]]
    for table in tables:
        kinds = [kind for _name, kind, _nullable in table.columns]
        if not set(kinds) <= set(DECODERS):
            raise ValueError(f"table {table.name}: unknown column kinds {sorted(set(kinds) - set(DECODERS))}")
    return Manifest(
        revision=data["revision"],
        created_at=data["created_at"],
        database=data["database"],
        tables=tables,
        files=files,
        format_version=version,
    )


def _check_table(archive: zipfile.ZipFile, table: TableEntry, path: Path) -> None:
    digest = hashlib.sha256()
    decoders = [decoder(kind) for _name, kind, _nullable in table.columns]
    rows = 0
    with archive.open(table.member) as member:
        for line in member:
            digest.update(line)
            values = json.loads(line)
            if not isinstance(values, list) or len(values) != len(decoders):
                raise ValueError(f"{table.member} line {rows + 1} does not have the table's columns")
            for decode, value in zip(decoders, values, strict=True):
                decode(value)
            rows += 1
    if digest.hexdigest() != table.sha256 or rows != table.rows:
        raise Refused(f"{path} is damaged: {table.member} does not match its checksum or row count.")


def _check_file(archive: zipfile.ZipFile, entry: FileEntry, path: Path) -> None:
    if not is_data_path(entry.path):
        raise Refused(f"{path} is damaged: it names a file outside the data folders ({entry.path}).")
    digest = hashlib.sha256()
    size = 0
    with archive.open(entry.member) as member:
        while chunk := member.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    if digest.hexdigest() != entry.sha256 or size != entry.bytes:
        raise Refused(f"{path} is damaged: {entry.member} does not match its checksum or size.")

"""Workbooks (.xlsx/.xlsm, .xls, .ods): python-calamine, in a child process.

calamine builds a sheet as one dense grid in Rust, so a 2 KB file with values in A1 and
XFD1048576 asks for 549 GB and aborts the whole process (tafia/calamine#693). It therefore
runs in a child under an address-space and CPU limit: there that is a refused file, not a dead
web worker, and calamine's copy of the sheet never counts against ours. Rows come back in
small pickled batches as we consume them.
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import subprocess
import sys
from collections.abc import Iterator
from functools import partial
from pathlib import Path

from crm.imports.read.sheet import (
    DAMAGED,
    PASSWORD,
    Limits,
    RawRow,
    Sheet,
    SheetNotFound,
    UnreadableFile,
    describe_size,
)

log = logging.getLogger(__name__)

# Runs with `python -I -c`: no crm import (Flask would slow every start), limits set before calamine
# loads. Frames on stdout: ("sheet", name, names), ("rows", [(number, cells), ...])..., ("end",);
# or one of ("no-sheet", names), ("password",), ("memory",), ("broken", detail).
_WORKER = r"""
import pickle, resource, sys

def main():
    path, wanted, memory, seconds, longest, batch_size = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:7])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    out = sys.stdout.buffer
    send = lambda *frame: pickle.dump(frame, out, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum
        book = CalamineWorkbook.from_path(path)
        worksheets = [m for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
        names = [m.name for m in worksheets]
        if wanted and wanted not in names:
            return send("no-sheet", names)
        if wanted:
            name, sheet = wanted, book.get_sheet_by_name(wanted)
        else:
            name, sheet = (names or [""])[0], None
            for meta in sorted(worksheets, key=lambda m: m.visible != SheetVisibleEnum.Visible):
                candidate = book.get_sheet_by_name(meta.name)
                if candidate.start is not None:
                    name, sheet = meta.name, candidate
                    break
                del candidate
        book.close()
        send("sheet", name, names)
        if sheet is not None and sheet.start is not None:
            rows(sheet, send, longest, batch_size)
        send("end")
    except PasswordError:
        send("password")
    except MemoryError:
        send("memory")
    except BaseException as error:  # pyo3 turns a Rust panic into a BaseException
        send("broken", repr(error)[:500])

def rows(sheet, send, longest, batch_size):
    pad = [None] * sheet.start[1]  # iter_rows starts at row 1 but at the first used column
    batch = []
    for number, values in enumerate(sheet.iter_rows(), 1):
        cells = [
            None if value == ""
            else (int(value) if value.is_integer() else value) if type(value) is float
            else value[:longest] if type(value) is str and len(value) > longest
            else value
            for value in values
        ]
        while cells and cells[-1] is None:
            cells.pop()
        if cells:
            batch.append((number, pad + cells))
            if len(batch) == batch_size:
                send("rows", batch)
                batch = []
    send("rows", batch)

main()
"""
_BATCH_ROWS = 500


class _CellUnpickler(pickle.Unpickler):
    # The child is our code, but what it pickles came out of an untrusted file: let nothing
    # through but the classes a cell value can have.
    def find_class(self, module: str, name: str) -> type:
        if module == "datetime" and name in {"date", "datetime", "time", "timedelta"}:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"unexpected {module}.{name} from the reader process")


def read_workbook(path: Path, kind: str, wanted: str | None, limits: Limits) -> Sheet:
    command = [sys.executable, "-I", "-c", _WORKER, str(path), wanted or ""]
    command += [str(limits.max_memory), str(limits.max_seconds), str(limits.max_cell_chars), str(_BATCH_ROWS)]
    child = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # a Rust abort prints there; its exit signal says enough
        env={**os.environ, "RUST_BACKTRACE": "0"},
    )
    frames = _frames(child)
    try:
        first = next(frames, None)
        if first and first[0] == "sheet":
            rows = _workbook_rows(child, frames, limits)
            return Sheet(first[1], first[2], kind, rows, on_close=partial(_stop, child))
        raise _refusal(first, child, wanted, limits)
    except BaseException:
        _stop(child)
        raise


def _frames(child: subprocess.Popen) -> Iterator[tuple]:
    while True:
        try:  # one unpickler per frame: each frame was pickled with a fresh memo
            yield _CellUnpickler(child.stdout).load()
        except (EOFError, pickle.UnpicklingError):  # the child ended, perhaps mid-frame
            return


def _workbook_rows(child: subprocess.Popen, frames: Iterator[tuple], limits: Limits) -> Iterator[RawRow]:
    try:
        for frame in frames:
            if frame[0] == "end":
                return
            if frame[0] != "rows":
                raise _refusal(frame, child, None, limits)
            for number, cells in frame[1]:
                yield RawRow(number, cells)
        raise _refusal(None, child, None, limits)
    finally:
        _stop(child)


def _refusal(frame: tuple | None, child: subprocess.Popen, wanted: str | None, limits: Limits) -> Exception:
    match frame:
        case ("no-sheet", names):
            return SheetNotFound(wanted or "", names)
        case ("password",):
            return UnreadableFile(PASSWORD)
        case ("memory",):
            return _too_big(limits)
        case ("broken", detail):
            log.info("calamine could not read the file: %s", detail)
            return UnreadableFile(DAMAGED)
    return _child_died(child, limits)


def _stop(child: subprocess.Popen) -> None:
    if child.poll() is None:
        child.kill()
    child.wait()
    child.stdout.close()


def _too_big(limits: Limits) -> UnreadableFile:
    return UnreadableFile(
        f"Reading this file needs more than {describe_size(limits.max_memory)} of memory, so it was refused as unsafe."
    )


def _child_died(child: subprocess.Popen, limits: Limits) -> Exception:
    code = child.wait()
    if code in (-signal.SIGXCPU, -signal.SIGKILL):
        return UnreadableFile(f"Reading this file took more than {limits.max_seconds} seconds, so it was stopped.")
    if code < 0:  # SIGABRT: Rust could not allocate; SIGSEGV: the stack or heap limit
        return _too_big(limits)
    return RuntimeError(f"the spreadsheet reader process failed with exit code {code}")

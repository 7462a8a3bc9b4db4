"""The reader process: a child under an address-space and CPU limit that parses an upload and
sends its rows back in small pickled batches as we consume them.

Parsers of files we do not control can be made to take any amount of memory or time:
calamine builds a sheet as one dense grid (a 2 KB workbook asks for 549 GB), and deeply
nested or hostile XML costs a parser dearly. In the child that is a refused file, not a dead
web worker, and the parser's copy of the file never counts against ours. The web process
itself only sniffs first bytes (sniff) and decodes text tables (text), whose cost is linear
in a file it has already bounded.

The child runs `python -I -c _LAUNCHER`, sets its limits, then loads one reader module by
its file path (workbook.py, xml_records.py): those import nothing from crm (Flask alone
would add a third of a second per file) and give `work(path, wanted, longest, batch_size,
send)`. Frames on stdout: ("sheet", name, names), ("rows", [(number, cells), ...])...,
("end",); or one of ("no-sheet", names), ("password",), ("memory",), ("refused", sentence),
("broken", detail).
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

_LAUNCHER = r"""
import importlib.util, pickle, resource, sys

reader, path, wanted = sys.argv[1:4]
memory, seconds, longest, batch_size = map(int, sys.argv[4:8])
resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
out = sys.stdout.buffer
send = lambda *frame: pickle.dump(frame, out, protocol=pickle.HIGHEST_PROTOCOL)
try:
    spec = importlib.util.spec_from_file_location("crm_reader", reader)
    module = sys.modules["crm_reader"] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.work(path, wanted, longest, batch_size, send)
except MemoryError:
    send("memory")
except BaseException as error:  # pyo3 turns a Rust panic into a BaseException
    send("broken", repr(error)[:500])
"""
_BATCH_ROWS = 500


class _CellUnpickler(pickle.Unpickler):
    # The child is our code, but what it pickles came out of an untrusted file: let nothing
    # through but the classes a cell value can have.
    def find_class(self, module: str, name: str) -> type:
        if module == "datetime" and name in {"date", "datetime", "time", "timedelta"}:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"unexpected {module}.{name} from the reader process")


def read_in_child(reader: Path, path: Path, kind: str, wanted: str | None, limits: Limits) -> Sheet:
    """The sheet `reader` (a module file) finds in `path`; every refusal comes before this returns."""
    command = [sys.executable, "-I", "-c", _LAUNCHER, str(reader), str(path), wanted or ""]
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
            rows = _rows(child, frames, limits)
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


def _rows(child: subprocess.Popen, frames: Iterator[tuple], limits: Limits) -> Iterator[RawRow]:
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
        case ("refused", sentence):
            return UnreadableFile(sentence)
        case ("broken", detail):
            log.info("the reader process could not read the file: %s", detail)
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

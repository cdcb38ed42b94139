"""Tabular export shared by `rag facts --csv` and the UI's CSV download.

A spreadsheet opening a CSV runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and, in some
programs, a tab or carriage return) as a formula: a report's title or sentence could then call out
to the network or run a command on the reader's machine. `csv_cell` neutralises such a text cell
by prefixing an apostrophe (the OWASP rule); numbers are left as numbers (-3 stays -3).

`temp_csv` writes a download file into one folder per process and deletes old downloads (by age
and count), so repeated queries never fill the disk.
"""
from __future__ import annotations

import csv
from typing import Any, Iterable, Mapping, Sequence, TextIO

__all__ = ["FORMULA_START", "csv_cell", "csv_row", "write_csv", "temp_csv", "prune_downloads"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """`value` safe for a CSV cell: text that a spreadsheet would read as a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_row(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: csv_cell(v) for k, v in row.items()}


def write_csv(out: TextIO, fieldnames: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> int:
    """Header and rows to `out`, every cell through `csv_cell`; returns the number of rows."""
    writer = csv.DictWriter(out, fieldnames=list(fieldnames), lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow(csv_row(row))
        n += 1
    return n


# ---- CSV files for download (the 数据 tab) ---------------------------------------------------
CSV_TTL_SECONDS = 600  # a download link older than this is gone; each query writes a new file
CSV_KEEP = 20  # and at most this many files are kept at once
_csv_dir: str | None = None


def downloads_dir() -> str:
    import atexit
    import shutil
    import tempfile

    global _csv_dir
    if _csv_dir is None:
        _csv_dir = tempfile.mkdtemp(prefix="rag-csv-")
        atexit.register(shutil.rmtree, _csv_dir, True)
    return _csv_dir


def prune_downloads(now: float | None = None) -> None:
    """Delete CSV files older than CSV_TTL_SECONDS, and all but the newest CSV_KEEP."""
    import os
    import time

    if _csv_dir is None:
        return
    now = time.time() if now is None else now
    files = []
    for name in os.listdir(_csv_dir):
        path = os.path.join(_csv_dir, name)
        try:
            files.append((os.path.getmtime(path), path))
        except OSError:
            continue
    files.sort(reverse=True)
    for i, (mtime, path) in enumerate(files):
        if i >= CSV_KEEP or now - mtime > CSV_TTL_SECONDS:
            try:
                if os.path.isdir(path):  # a download kept under its readable name in a folder of its own
                    import shutil

                    shutil.rmtree(path, ignore_errors=True)
                else:
                    os.unlink(path)
            except OSError:
                pass


def temp_csv(fieldnames: Sequence[str], rows: Iterable[Mapping[str, Any]], prefix: str = "facts-") -> str:
    """A CSV file (UTF-8 with BOM, for Excel) in this process's download folder, cells escaped;
    older downloads are pruned and the folder is removed when the process exits."""
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".csv", prefix=prefix, delete=False, encoding="utf-8-sig",
                                     newline="", dir=downloads_dir()) as fh:
        write_csv(fh, fieldnames, rows)
    prune_downloads()  # the new file is the newest: kept
    return fh.name

"""Tabular export shared by `rag facts --csv` and the UI's CSV download.

A spreadsheet opening a CSV runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and, in some
programs, a tab or carriage return) as a formula: a report's title or sentence could then call out
to the network or run a command on the reader's machine. `csv_cell` neutralises such a text cell
by prefixing an apostrophe (the OWASP rule); numbers are left as numbers (-3 stays -3).
"""
from __future__ import annotations

import csv
from typing import Any, Iterable, Mapping, Sequence, TextIO

__all__ = ["FORMULA_START", "csv_cell", "csv_row", "write_csv"]

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

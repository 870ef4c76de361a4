"""CSV that is safe to open in a spreadsheet: cells that a spreadsheet would run as a formula are
neutralized (OWASP "CSV injection"), and rows are produced one at a time for streaming."""

import csv
import io
from decimal import Decimal

#: a spreadsheet treats a cell starting with one of these as a formula (tab and CR included,
#: since some programs strip them and then read what follows)
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: Excel reads UTF-8 without mojibake only when the file starts with a byte-order mark
BOM = "\ufeff"


def neutralize(value):
    """The cell as text, with a leading single quote when a spreadsheet would run it as a formula.

    Numbers stay numbers (a negative gain is data, not a formula); None becomes an empty cell.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def csv_rows(header, rows, bom=True):
    """Yield the header and each row as encoded CSV lines (UTF-8, CRLF), every cell neutralized."""
    buffer = io.StringIO()
    # Every text cell quoted: where a spreadsheet splits on ";" (many European locales), an unquoted
    # "a;=1+1" would become two cells, the second a formula.
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC)

    def line(cells):
        writer.writerow([neutralize(cell) for cell in cells])
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode("utf-8")

    yield (BOM if bom else "").encode("utf-8") + line(header)
    for row in rows:
        yield line(row)

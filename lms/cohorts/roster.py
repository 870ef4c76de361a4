"""Roster CSV parsing, pure: text in, valid rows and per-row errors out (row numbers as in a
spreadsheet, the header being row 1)."""

import csv
import io
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

COLUMNS = ("name", "email", "track", "agency", "discipline")
TRACKS = ("introductory", "advanced")
MAX_ROWS = 2000


@dataclass(frozen=True)
class RosterRow:
    row_number: int
    name: str
    email: str
    track: str | None
    agency: str
    discipline: str


@dataclass(frozen=True)
class RowError:
    row_number: int
    email: str
    reason: str


def parse_roster(text):
    """(rows, errors): every good row, and every bad one with its row number and reason."""
    try:
        return _parse(text)
    except csv.Error as error:
        # A malformed file (an enormous cell, a NUL byte): say where, import nothing from it.
        return [], [RowError(0, "", f"the file could not be read as CSV ({error}); save it again as CSV UTF-8")]


def _parse(text):
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [column for column in ("name", "email") if column not in header]
    if missing:
        return [], [RowError(1, "", f"the header row must name the columns {', '.join(COLUMNS)} "
                                    f"(missing: {', '.join(missing)})")]
    reader.fieldnames = header
    rows, errors, seen = [], [], {}
    for row_number, raw in enumerate(reader, start=2):
        if row_number - 1 > MAX_ROWS:
            errors.append(RowError(row_number, "", f"a roster holds at most {MAX_ROWS} rows; the rest were not read"))
            break
        values = {key: (value or "").strip() for key, value in raw.items() if key in COLUMNS}
        if not any(values.values()):
            continue
        row, error = _read_row(row_number, values, seen)
        if error:
            errors.append(error)
        else:
            rows.append(row)
            seen[row.email] = row_number
    return rows, errors


def _read_row(row_number, values, seen):
    email_text = values.get("email", "")
    if not values.get("name"):
        return None, RowError(row_number, email_text, "the name is missing")
    if len(values["name"]) > 120:
        return None, RowError(row_number, email_text, "the name is longer than 120 characters")
    try:
        email = validate_email(email_text, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None, RowError(row_number, email_text, f"{email_text or 'the email'} is not a valid email address")
    if email in seen:
        return None, RowError(row_number, email, f"the same email is already on row {seen[email]}")
    track = values.get("track", "").lower() or None
    if track is not None and track not in TRACKS:
        return None, RowError(row_number, email, f"track must be introductory or advanced, not {values['track']!r}")
    return RosterRow(row_number, values["name"], email, track, values.get("agency", "")[:160],
                     values.get("discipline", "")[:80]), None

"""Catch up after a curriculum rule change: record completions the new rules now allow, and issue
every certificate a completed enrollment lacks."""

from dataclasses import dataclass

from lms.certificates.operations import issue_missing_certificates
from lms.certificates.queries import current_certificates_by_enrollment
from lms.learning.operations import record_missing_completions


@dataclass(frozen=True)
class Backfill:
    """What a backfill did: the enrollments it recorded complete, and every certificate it issued
    (at those completions, or for enrollments completed earlier)."""

    completions: tuple
    certificates: tuple


def backfill_completions_and_certificates(actor=None):
    """Re-check incomplete enrollments (each completion issues its certificate), then issue the
    certificates still missing for enrollments completed earlier. Flushes; the caller commits."""
    completed = record_missing_completions()
    at_completion = current_certificates_by_enrollment([enrollment.id for enrollment in completed])
    backfilled = issue_missing_certificates(actor)
    return Backfill(tuple(completed), tuple(at_completion.values()) + tuple(backfilled))

import pytest

from lms.certificates.operations import issue_certificate_if_complete
from lms.core.time import utcnow
from lms.extensions import db
from lms.learning.operations import enroll

UNICODE_NAME = "Ŋoah Tsosie\u02bcs Ødegård-Élan"  # modifier letter apostrophe, as in many Native names


@pytest.fixture
def completed(curriculum, make_user):
    """Make a user with a completed enrollment and its certificate; returns (user, certificate)."""

    def make(name=UNICODE_NAME, **fields):
        user = make_user(name=name, **fields)
        enrollment = enroll(user, curriculum, "introductory")
        db.session.flush()
        enrollment.completed_at = utcnow()
        certificate = issue_certificate_if_complete(enrollment)
        db.session.commit()
        return user, certificate

    return make

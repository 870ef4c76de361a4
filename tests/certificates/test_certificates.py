import io
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import jwt
import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import func, select

from lms.certificates import operations
from lms.certificates.models import Certificate
from lms.core.audit import AuditEvent
from lms.extensions import db
from lms.learning.models import Enrollment
from tests.certificates.conftest import UNICODE_NAME
from tests.learning.helpers import Learner

BASE = "http://127.0.0.1:5000"


def _pdf(client, certificate):
    response = client.get(f"/certificates/{certificate.display_code}/certificate.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return PdfReader(io.BytesIO(response.data))


def test_completing_the_journey_issues_one_certificate(client, auth, make_user, curriculum):
    auth.login(make_user(name="Dana Whitfield").email)
    learner = Learner(client)
    learner.enroll()
    for module in ("basics", "newcomers", "practice"):
        learner.read_module(module)
        learner.take(module)
    learner.take("posttest")
    certificate = db.session.scalar(select(Certificate))
    assert certificate.learner_name == "Dana Whitfield" and certificate.track == "introductory"
    assert certificate.curriculum_version == curriculum.version and float(certificate.credit_hours) == 2
    enrollment = db.session.get(Enrollment, certificate.enrollment_id)
    assert certificate.completed_at == enrollment.completed_at
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert f"/certificates/{certificate.display_code}" in dashboard
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "certificate.issued")) == 1


@pytest.mark.parametrize("round_number", range(int(os.environ.get("LMS_CONCURRENCY_ROUNDS", 2))))
def test_twenty_concurrent_issues_make_one_certificate(app, completed, round_number):
    _user, first = completed()
    enrollment_id = first.enrollment_id
    db.session.delete(first)
    db.session.commit()
    barrier = threading.Barrier(20)

    def issue(_):
        with app.app_context():
            barrier.wait()
            certificate = operations.issue_certificate_if_complete(db.session.get(Enrollment, enrollment_id))
            db.session.commit()
            return certificate.code

    with ThreadPoolExecutor(max_workers=20) as pool:
        codes = list(pool.map(issue, range(20)))
    assert len(set(codes)) == 1
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1


def test_no_certificate_before_completion(curriculum, make_user):
    from lms.learning.operations import enroll

    enrollment = enroll(make_user(), curriculum, "introductory")
    assert operations.issue_certificate_if_complete(enrollment) is None


def test_pdf_holds_the_unicode_name_title_and_code_and_its_qr_opens_the_verify_page(client, auth, completed):
    user, certificate = completed()
    auth.login(user.email)
    reader = _pdf(client, certificate)
    page = reader.pages[0]
    assert len(reader.pages) == 1
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
    assert round(float(page.mediabox.width)) == 792  # Letter, 11 in
    text = page.extract_text()
    for expected in (UNICODE_NAME, "Fixture Course", certificate.display_code,
                     "completed Day 1 and Day 2"):
        assert expected in text, expected
    images = list(page.images)
    assert len(images) == 1
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(images[0].data)))
    assert [barcode.text for barcode in decoded] == [f"{BASE}/verify/{certificate.display_code}"]


def test_open_badge_verifies_against_the_published_jwks_and_tracks_revocation(client, auth, completed, make_user):
    user, certificate = completed()
    auth.login(user.email)
    token = client.get(f"/certificates/{certificate.display_code}/credential.jwt").get_data(as_text=True)
    keys = jwt.PyJWKSet.from_dict(client.get("/issuer/jwks.json").get_json())
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "EdDSA" and header["typ"] == "vc+jwt"
    key = next(k for k in keys.keys if k.key_id == header["kid"])
    vc = jwt.decode(token, key.key, algorithms=["EdDSA"], options={"verify_aud": False})
    assert vc["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert vc["@context"][1].startswith("https://purl.imsglobal.org/spec/ob/v3p0/context")
    assert vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert vc["issuer"]["id"] == f"{BASE}/issuer" and "validFrom" in vc
    achievement = vc["credentialSubject"]["achievement"]
    assert achievement["name"] == "Fixture Course" and achievement["description"]
    assert "post-test" in achievement["criteria"]["narrative"]
    assert client.get("/issuer").get_json()["id"] == f"{BASE}/issuer"

    status = vc["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry" and status["statusPurpose"] == "revocation"
    list_path = status["statusListCredential"].removeprefix(BASE)
    index = int(status["statusListIndex"])

    from lms.certificates.badge import is_revoked_in

    def revoked():
        return is_revoked_in(client.get(list_path).get_json()["credentialSubject"]["encodedList"], index)

    assert not revoked()
    operations.revoke_certificate(certificate, "issued_in_error", make_user(role="admin"))
    db.session.commit()
    assert revoked()


def test_verify_page_valid_then_revoked_and_unknown_is_404(client, completed, make_user):
    user, certificate = completed(agency="Secret Task Force")
    valid = client.get(f"/verify/{certificate.display_code}")
    html = valid.get_data(as_text=True)
    assert valid.status_code == 200 and "This certificate is valid" in html
    assert user.name in html and "Fixture Course" in html
    assert user.email not in html and "Secret Task Force" not in html
    assert client.get(f"/verify/{certificate.code.lower()}").headers["Location"].endswith(certificate.display_code)
    assert client.get(f"/verify?code={certificate.code.lower()}").status_code == 302
    operations.revoke_certificate(certificate, "misconduct", make_user(role="admin"), note="internal detail")
    db.session.commit()
    revoked = client.get(f"/verify/{certificate.display_code}").get_data(as_text=True)
    assert "has been revoked" in revoked and "Revoked for academic misconduct" in revoked
    assert certificate.revoked_at.strftime("%B") in revoked and "internal detail" not in revoked
    missing = client.get("/verify/CASOM-0000-0000-0000")
    assert missing.status_code == 404 and "Certificate not found" in missing.get_data(as_text=True)
    assert client.get("/verify?code=nonsense").status_code == 400


def test_verify_page_of_one_learner_never_shows_another(client, completed):
    _first_user, first = completed(name="First Person")
    _second_user, second = completed(name="Second Person")
    html = client.get(f"/verify/{first.display_code}").get_data(as_text=True)
    assert "First Person" in html and "Second Person" not in html and second.display_code not in html


@pytest.mark.parametrize("suffix", ["", "/certificate.pdf", "/credential.jwt"])
def test_a_trainee_cannot_open_another_trainees_certificate(client, auth, completed, make_user, suffix):
    _, certificate = completed()
    auth.login(make_user().email)
    assert client.get(f"/certificates/{certificate.display_code}{suffix}").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in_for_certificate_files(client, completed):
    _, certificate = completed()
    assert client.get(f"/certificates/{certificate.display_code}/certificate.pdf").status_code == 302


def test_admin_revokes_and_reissues_with_audit(client, auth, completed, make_user):
    _user, certificate = completed(name="Jon Smiht")
    admin = make_user(role="admin")
    auth.login(admin.email)
    page = client.get(f"/admin/certificates/{certificate.display_code}")
    assert page.status_code == 200
    response = client.post(f"/admin/certificates/{certificate.display_code}/reissue", data={"name": "Jon Smith"})
    replacement = db.session.scalar(select(Certificate).where(Certificate.sequence == 2))
    assert response.headers["Location"].endswith(replacement.display_code)
    old = db.session.get(Certificate, certificate.id, populate_existing=True)
    assert old.revocation_reason == "superseded" and replacement.learner_name == "Jon Smith"
    assert "Superseded" in client.get(f"/verify/{old.display_code}").get_data(as_text=True)
    client.post(f"/admin/certificates/{replacement.display_code}/revoke", data={"reason": "other", "note": "x"})
    assert db.session.get(Certificate, replacement.id, populate_existing=True).is_revoked
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"certificate.issued", "certificate.reissued", "certificate.revoked"} <= actions


def test_revoke_form_errors_rerender_and_change_nothing(client, auth, completed, make_user):
    _, certificate = completed()
    auth.login(make_user(role="admin").email)
    response = client.post(f"/admin/certificates/{certificate.display_code}/revoke", data={"reason": "made-up"})
    assert response.status_code == 400 and "Not a valid choice" in response.get_data(as_text=True)
    assert not db.session.get(Certificate, certificate.id, populate_existing=True).is_revoked


@pytest.mark.parametrize("role", ["trainee", "trainer"])
def test_admin_certificate_pages_are_for_admins_only(client, auth, completed, make_user, role):
    _, certificate = completed()
    auth.login(make_user(role=role).email)
    assert client.get("/admin/certificates").status_code == 403
    revoke = client.post(f"/admin/certificates/{certificate.display_code}/revoke", data={"reason": "other"})
    assert revoke.status_code == 403


def test_issue_missing_backfills_completed_enrollments(runner, completed):
    _, certificate = completed()
    db.session.delete(certificate)
    db.session.commit()
    result = runner.invoke(args=["certificates", "issue-missing"])
    assert result.exit_code == 0 and "1 certificate(s) issued." in result.output
    again = runner.invoke(args=["certificates", "issue-missing"])
    assert "0 certificate(s) issued." in again.output

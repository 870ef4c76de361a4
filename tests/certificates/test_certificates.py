import calendar
import io
import os
import re
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

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
from tests.learning.helpers import FIXTURE_COURSE, Learner

BASE = "http://127.0.0.1:5000"


def _text_of(html):
    """The page's text as read aloud: tags dropped, runs of white space as one space."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace(" .", ".")


def _pdf(client, certificate):
    response = client.get(f"/certificates/{certificate.display_code}/certificate.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return PdfReader(io.BytesIO(response.data))


def test_completing_the_journey_issues_one_certificate(client, auth, make_user, curriculum):
    auth.login(make_user(name="Dana Whitfield").email)
    learner = Learner(client)
    learner.enroll()
    learner.finish_required_modules()
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
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "EdDSA" and header["typ"] == "JWT"  # OB 3.0 §8.2: if present, MUST be "JWT"
    vc = jwt.decode(token, _dereference(client, header["kid"]), algorithms=["EdDSA"], options={"verify_aud": False})
    keys = jwt.PyJWKSet.from_dict(client.get("/issuer/jwks.json").get_json())  # as a JOSE library matches a kid
    assert jwt.decode(token, next(k for k in keys.keys if k.key_id == header["kid"]).key, algorithms=["EdDSA"]) == vc
    assert vc["nbf"] == _numeric_date(vc["validFrom"]) and "iat" not in vc
    assert vc["iss"] == vc["issuer"]["id"] and vc["jti"] == vc["id"]
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


def test_credentials_signed_before_the_kid_became_a_url_still_find_their_key(app, client):
    from lms.certificates.badge import public_jwk
    from lms.certificates.views import signing_key

    key = signing_key()
    thumbprint = public_jwk(key, BASE)["kid"].partition("#")[2]
    old_token = jwt.encode({"id": "x"}, key, algorithm="EdDSA", headers={"kid": thumbprint, "typ": "vc+jwt"})
    keys = jwt.PyJWKSet.from_dict(client.get("/issuer/jwks.json").get_json())
    assert jwt.decode(old_token, next(k for k in keys.keys if k.key_id == thumbprint).key,
                      algorithms=["EdDSA"]) == {"id": "x"}


def _dereference(client, kid):
    """What an Open Badges verifier does with a `kid`: fetch the URL, take the JWK it names."""
    url, _, fragment = kid.partition("#")
    assert url.startswith(f"{BASE}/") and fragment
    jwk = next(key for key in client.get(url.removeprefix(BASE)).get_json()["keys"] if key["kid"] == kid)
    assert "d" not in jwk
    return jwt.PyJWK.from_dict(jwk).key


def _numeric_date(iso_moment):
    return calendar.timegm(datetime.strptime(iso_moment, "%Y-%m-%dT%H:%M:%SZ").timetuple())


def test_status_list_is_also_served_as_a_signed_vc_jwt(client, completed, make_user):
    from lms.certificates.badge import is_revoked_in

    _, certificate = completed()
    plain = client.get("/credentials/status/1")
    assert plain.mimetype == "application/json" and "Accept" in plain.vary

    def signed_list():
        response = client.get("/credentials/status/1", headers={"Accept": "application/vc+jwt"})
        assert response.mimetype == "application/vc+jwt" and "Accept" in response.vary
        token = response.get_data(as_text=True)
        assert jwt.get_unverified_header(token)["typ"] == "vc+jwt"
        return jwt.decode(token, _dereference(client, jwt.get_unverified_header(token)["kid"]), algorithms=["EdDSA"])

    status_list = signed_list()
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert status_list["iss"] == plain.get_json()["issuer"] and status_list["jti"] == plain.get_json()["id"]
    assert status_list["nbf"] == _numeric_date(status_list["validFrom"])
    assert not is_revoked_in(status_list["credentialSubject"]["encodedList"], certificate.status_index)
    operations.revoke_certificate(certificate, "issued_in_error", make_user(role="admin"))
    db.session.commit()
    assert is_revoked_in(signed_list()["credentialSubject"]["encodedList"], certificate.status_index)


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
    revoked_on = certificate.revoked_at
    assert f"Revoked on {revoked_on:%B} {revoked_on.day}, {revoked_on.year}." in _text_of(revoked)
    assert "internal detail" not in revoked
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


def _import_fixture_course_with_posttest_pass_mark(directory, pass_mark):
    """Re-import the fixture curriculum, as an author would after editing the post-test's pass mark."""
    from lms.curricula.loader import load_all
    from lms.curricula.operations import import_curricula

    target = directory / f"pass-mark-{pass_mark}" / "fixture-course"
    shutil.copytree(FIXTURE_COURSE, target)
    posttest = target / "posttest.yaml"
    posttest.write_text(posttest.read_text().replace("pass_mark: 50", f"pass_mark: {pass_mark}", 1))
    import_curricula(load_all(target))
    db.session.commit()


def _half_right(learner, attempt_id):
    right, wrong = learner.answers_for(attempt_id, right=True), learner.answers_for(attempt_id, right=False)
    return right | {"q2": wrong["q2"]}


def test_issue_missing_records_a_completion_a_lowered_pass_mark_allows(client, auth, runner, make_user, curriculum,
                                                                      tmp_path):
    _import_fixture_course_with_posttest_pass_mark(tmp_path, 100)
    auth.login(make_user().email)
    learner = Learner(client)
    learner.enroll()
    learner.finish_required_modules()
    attempt_id = learner.start("posttest")
    client.post(f"/attempts/{attempt_id}", data=_half_right(learner, attempt_id))
    assert db.session.scalar(select(Enrollment)).completed_at is None  # 50% of the 100% needed
    _import_fixture_course_with_posttest_pass_mark(tmp_path, 50)
    assert db.session.scalar(select(Enrollment)).completed_at is None  # a rule change completes nobody by itself

    result = runner.invoke(args=["certificates", "issue-missing"])
    assert result.exit_code == 0, result.output
    assert "1 completion(s) recorded." in result.output and "1 certificate(s) issued." in result.output
    enrollment = db.session.scalar(select(Enrollment).execution_options(populate_existing=True))
    certificate = db.session.scalar(select(Certificate))
    assert enrollment.completed_at is not None and certificate.enrollment_id == enrollment.id
    assert f"issued {certificate.display_code} to" in result.output
    again = runner.invoke(args=["certificates", "issue-missing"]).output
    assert "0 completion(s) recorded." in again and "0 certificate(s) issued." in again


def test_issue_missing_leaves_incomplete_enrollments_alone(runner, make_user, curriculum):
    from lms.learning.operations import enroll

    enroll(make_user(), curriculum, "introductory")
    db.session.commit()
    result = runner.invoke(args=["certificates", "issue-missing"])
    assert "0 completion(s) recorded." in result.output and "0 certificate(s) issued." in result.output
    assert db.session.scalar(select(Enrollment)).completed_at is None


@pytest.mark.parametrize("path, allowed_status", [("/verify/{code}", 200), ("/verify?code={code}", 302)])
def test_verify_is_rate_limited(app, client, completed, path, allowed_status):
    _, certificate = completed()
    app.config["VERIFY_LIMIT"] = "3 per minute"
    url = path.format(code=certificate.display_code)
    assert [client.get(url).status_code for _ in range(3)] == [allowed_status] * 3
    assert client.get(url).status_code == 429


def test_dashboard_entries_say_when_the_current_certificate_is_revoked(completed, make_user):
    from lms.learning.queries import dashboard_entries

    user, certificate = completed()
    assert dashboard_entries(user.id)[0].certificate.status == "valid"
    operations.revoke_certificate(certificate, "misconduct", make_user(role="admin"))
    db.session.commit()
    summary = dashboard_entries(user.id)[0].certificate
    assert summary.status == "revoked" and summary.is_revoked and summary.display_code == certificate.display_code
    assert summary.revoked_at == certificate.revoked_at
    assert summary.revocation_label == "Revoked for academic misconduct"


def test_dashboard_entries_show_the_reissued_certificate_as_valid(completed, make_user):
    from lms.learning.queries import dashboard_entries

    user, certificate = completed(name="Jon Smiht")
    replacement = operations.reissue_certificate(certificate, "Jon Smith", make_user(role="admin"))
    db.session.commit()
    summary = dashboard_entries(user.id)[0].certificate
    assert summary.display_code == replacement.display_code and summary.status == "valid"


@pytest.mark.parametrize("page", ["/dashboard", "/curricula/{key}"])
def test_learner_pages_say_plainly_when_their_certificate_was_revoked(client, auth, completed, make_user, curriculum,
                                                                      page):
    user, certificate = completed()
    url = page.format(key=curriculum.key)
    auth.login(user.email)
    assert "View your certificate" in _text_of(client.get(url).get_data(as_text=True))
    operations.revoke_certificate(certificate, "misconduct", make_user(role="admin"))
    db.session.commit()
    text = _text_of(client.get(url).get_data(as_text=True))
    revoked_on = certificate.revoked_at.strftime("%B %-d, %Y")
    assert f"Certificate revoked on {revoked_on}: Revoked for academic misconduct." in text
    assert "See the revoked certificate" in text and "View your certificate" not in text


@pytest.mark.parametrize("suffix", ["/certificate.pdf", "/credential.jwt"])
def test_a_revoked_certificate_gives_out_no_pdf_or_badge(client, auth, completed, make_user, suffix):
    user, certificate = completed()
    auth.login(user.email)
    assert client.get(f"/certificates/{certificate.display_code}{suffix}").status_code == 200
    operations.revoke_certificate(certificate, "misconduct", make_user(role="admin"))
    db.session.commit()
    response = client.get(f"/certificates/{certificate.display_code}{suffix}")
    revoked_on = certificate.revoked_at.strftime("%B %-d, %Y")
    assert response.status_code == 410 and response.mimetype == "text/html"
    assert (f"Certificate {certificate.display_code} was revoked on {revoked_on} (Revoked for academic misconduct)"
            in _text_of(response.get_data(as_text=True)))


def test_a_revoked_certificates_page_keeps_the_record_without_downloads(client, auth, completed, make_user):
    user, certificate = completed()
    auth.login(user.email)
    operations.revoke_certificate(certificate, "misconduct", make_user(role="admin"))
    db.session.commit()
    page = client.get(f"/certificates/{certificate.display_code}").get_data(as_text=True)
    assert "was revoked on" in page and user.name in page and certificate.display_code in page
    assert "certificate.pdf" not in page and "credential.jwt" not in page
    assert "replaced it" not in page


def test_a_superseded_certificates_page_leads_to_its_replacement(client, auth, completed, make_user):
    user, certificate = completed(name="Jon Smiht")
    replacement = operations.reissue_certificate(certificate, "Jon Smith", make_user(role="admin"))
    db.session.commit()
    auth.login(user.email)
    page = client.get(f"/certificates/{certificate.display_code}").get_data(as_text=True)
    assert f'href="/certificates/{replacement.display_code}"' in page and "certificate.pdf" not in page
    assert f"/certificates/{replacement.display_code}/certificate.pdf" in client.get(
        f"/certificates/{replacement.display_code}").get_data(as_text=True)

"""Cohorts end to end: creation, joining, rosters, attendance and check-in, the progress grid."""

import io
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms.auth.models import User
from lms.cohorts import grid, operations
from lms.cohorts.models import Attendance, CheckInWindow, Cohort, CohortTrainer, Invitation
from lms.cohorts.roster import parse_roster
from lms.core.time import utcnow
from lms.extensions import db
from lms.learning.models import Enrollment
from lms.quizzes.models import AttemptGrant
from tests.conftest import PASSWORD, _TestConfig
from tests.learning.helpers import Learner


def _login(client, user):
    return client.post("/login", data={"email": user.email, "password": PASSWORD})


def test_a_trainer_creates_a_cohort_and_is_its_trainer(client, trainer, curriculum):
    _login(client, trainer)
    response = client.post("/trainer/cohorts/new", data={
        "curriculum": curriculum.id, "name": "Tribal MDT spring", "location": "Council chambers",
        "delivery_mode": "blended", "day1_date": "2027-03-02", "day2_date": "2027-03-03",
        "default_track": "advanced", "trainers": [trainer.id]})
    cohort = db.session.scalar(select(Cohort))
    assert response.headers["Location"].endswith(f"/trainer/cohorts/{cohort.id}")
    assert cohort.delivery_mode == "blended" and cohort.default_track == "advanced" and len(cohort.join_code) == 8
    assert db.session.scalar(select(CohortTrainer.user_id)) == trainer.id
    assert cohort.name in client.get("/trainer/cohorts").get_data(as_text=True)


def test_cohort_form_errors_rerender_and_create_nothing(client, trainer, curriculum):
    _login(client, trainer)
    response = client.post("/trainer/cohorts/new", data={
        "curriculum": curriculum.id, "name": "", "delivery_mode": "in_person", "default_track": "introductory",
        "day1_date": "2027-03-05", "day2_date": "2027-03-01"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Day 2 cannot be before Day 1." in html
    assert db.session.scalar(select(func.count()).select_from(Cohort)) == 0


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


COHORT_FIELDS = {"name": "Spring academy", "delivery_mode": "in_person", "default_track": "introductory"}


def test_an_admin_must_choose_at_least_one_trainer_and_nothing_is_saved(client, make_user, trainer, curriculum):
    _login(client, make_user(role="admin"))
    refused = client.post("/trainer/cohorts/new", data={"curriculum": curriculum.id, **COHORT_FIELDS})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Choose at least one trainer." in html
    assert 'aria-describedby="trainers-hint trainers-error"' in html and '<a href="#trainers">' in html
    assert _count(Cohort) == 0 and _count(CohortTrainer) == 0
    created = client.post("/trainer/cohorts/new", data={"curriculum": curriculum.id, "trainers": [trainer.id],
                                                        **COHORT_FIELDS})
    assert created.status_code == 302
    assert db.session.scalars(select(CohortTrainer.user_id)).all() == [trainer.id]  # the admin is not added


def test_a_trainer_who_ticks_nobody_is_still_the_cohorts_trainer(client, trainer, curriculum):
    _login(client, trainer)
    form = client.get("/trainer/cohorts/new").get_data(as_text=True)
    assert "You are always one of them" in form
    assert client.post("/trainer/cohorts/new", data={"curriculum": curriculum.id, **COHORT_FIELDS}).status_code == 302
    assert db.session.scalars(select(CohortTrainer.user_id)).all() == [trainer.id]


def test_an_edit_cannot_leave_a_cohort_without_trainers(client, make_user, trainer, make_cohort):
    cohort = make_cohort(name="Keep me")
    _login(client, make_user(role="admin"))
    refused = client.post(f"/trainer/cohorts/{cohort.id}/edit", data={**COHORT_FIELDS, "name": "Renamed"})
    assert refused.status_code == 400 and "Choose at least one trainer." in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Cohort, cohort.id).name == "Keep me"
    assert db.session.scalars(select(CohortTrainer.user_id)).all() == [trainer.id]


def test_a_cohort_whose_chosen_trainers_are_not_staff_is_refused(make_user, curriculum):
    admin, trainee = make_user(role="admin"), make_user()
    with pytest.raises(operations.NoTrainerChosen):
        operations.create_cohort(admin, curriculum_id=curriculum.id, name="Nobody runs it", trainer_ids=[trainee.id])
    db.session.rollback()
    assert _count(Cohort) == 0


def test_the_cohort_list_shows_a_trainer_their_own_cohorts_and_an_admin_all(client, make_user, trainer, make_cohort):
    mine = make_cohort(name="Mine academy")
    other_trainer = make_user(role="trainer")
    theirs = make_cohort(by=other_trainer, name="Theirs academy")
    _login(client, trainer)
    listed = client.get("/trainer/cohorts").get_data(as_text=True)
    assert "Mine academy" in listed and f"/trainer/cohorts/{mine.id}" in listed
    assert "Theirs academy" not in listed and f"/trainer/cohorts/{theirs.id}\"" not in listed
    client.post("/logout")
    _login(client, make_user(role="admin"))
    listed = client.get("/trainer/cohorts").get_data(as_text=True)
    assert "Mine academy" in listed and "Theirs academy" in listed


def test_learners_join_by_code_until_it_is_closed_or_regenerated(client, make_user, make_cohort):
    cohort = make_cohort(default_track="advanced")
    learner = make_user()
    _login(client, learner)
    response = client.post("/join", data={"code": cohort.join_code.lower()})
    assert response.status_code == 302
    enrollment = db.session.scalar(select(Enrollment))
    assert enrollment.cohort_id == cohort.id and enrollment.track == "advanced"
    old_code = cohort.join_code
    operations.regenerate_join_code(cohort, db.session.get(User, cohort.created_by_id))
    db.session.commit()
    other = make_user()
    client.post("/logout")
    _login(client, other)
    refused = client.post("/join", data={"code": old_code})
    assert refused.status_code == 400 and "not valid" in refused.get_data(as_text=True)
    operations.set_join_open(cohort, db.session.get(User, cohort.created_by_id), False)
    db.session.commit()
    assert client.post("/join", data={"code": cohort.join_code}).status_code == 400


def test_a_self_paced_enrollment_is_attached_not_duplicated(client, make_user, make_cohort):
    cohort = make_cohort()
    learner = make_user()
    _login(client, learner)
    Learner(client).enroll("introductory")
    client.post("/join", data={"code": cohort.join_code})
    assert db.session.scalar(select(func.count()).select_from(Enrollment)) == 1
    assert db.session.scalar(select(Enrollment.cohort_id)) == cohort.id


def _roster_csv(rows):
    lines = ["name,email,track,agency,discipline", *rows]
    return "\n".join(lines).encode()


def _import(client, cohort, data):
    return client.post(f"/trainer/cohorts/{cohort.id}/roster/import",
                       data={"roster": (io.BytesIO(data), "roster.csv")}, content_type="multipart/form-data")


def test_roster_of_50_with_3_bad_rows_imports_47_and_reimport_duplicates_nothing(client, trainer, make_user,
                                                                                 make_cohort):
    cohort = make_cohort()
    existing = make_user(email="officer7@example.org")
    rows = [f"Officer {n},officer{n}@example.org,introductory,County Probation,Probation" for n in range(1, 48)]
    rows.insert(9, "No Email,,introductory,County,Probation")               # row 11
    rows.insert(19, "Bad Track,bad.track@example.org,expert,County,Police")  # row 21
    rows.insert(29, "Twice,officer3@example.org,advanced,County,Police")     # row 31
    assert len(rows) == 50
    _login(client, trainer)
    response = _import(client, cohort, _roster_csv(rows))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "47 enrolled (46 new accounts invited)" in html and "3 rows with problems" in html
    for row_number, reason in [(11, "is not a valid email address"), (21, "track must be introductory or advanced"),
                               (31, "the same email is already on row 4")]:
        assert f"<td>{row_number}</td>" in html and reason in html
    assert db.session.scalar(select(func.count()).select_from(Enrollment)) == 47
    assert db.session.scalar(select(Enrollment.cohort_id).where(Enrollment.user_id == existing.id)) == cohort.id
    again = _import(client, cohort, _roster_csv(rows)).get_data(as_text=True)
    assert "0 enrolled" in again and "47 already in the cohort" in again
    assert db.session.scalar(select(func.count()).select_from(Enrollment)) == 47
    assert db.session.scalar(select(func.count()).select_from(User)) == 1 + 1 + 46  # trainer, existing, new


def test_invitation_link_lets_a_new_learner_set_a_password_once(client, trainer, make_cohort):
    cohort = make_cohort()
    _login(client, trainer)
    html = _import(client, cohort, _roster_csv(["New Person,new.person@example.org,,Tribal Police,Police"]))
    link = html.get_data(as_text=True).split("<code class=\"wrap-anywhere\">")[1].split("</code>")[0]
    path = link.removeprefix("http://127.0.0.1:5000")
    client.post("/logout")
    assert client.get(path).status_code == 200
    set_password = client.post(path, data={"password": "a new long passphrase", "confirm": "a new long passphrase"})
    assert set_password.status_code == 302
    assert client.post("/login", data={"email": "new.person@example.org",
                                       "password": "a new long passphrase"}).status_code == 302
    assert client.get(path).status_code in (404, 410)


def test_roster_invitations_expire_after_14_days_and_a_reimport_makes_no_new_ones(client, trainer, make_cohort):
    cohort = make_cohort()
    _login(client, trainer)
    roster = _roster_csv(["New One,new.one@example.org,,County,Police", "New Two,new.two@example.org,,County,Police"])
    before = utcnow()
    assert "2 enrolled (2 new accounts invited)" in _import(client, cohort, roster).get_data(as_text=True)
    after = utcnow()
    invitations = db.session.scalars(select(Invitation)).all()
    assert len(invitations) == 2
    for invitation in invitations:
        assert invitation.expires_at - invitation.created_at == timedelta(days=14)
        assert before + timedelta(days=14) <= invitation.expires_at <= after + timedelta(days=14)
    again = _import(client, cohort, roster).get_data(as_text=True)
    assert "2 already in the cohort" in again and "Invitation links" not in again
    assert _count(Invitation) == 2


def test_with_mail_each_new_learner_is_emailed_their_invitation(app, client, trainer, make_cohort, outbox):
    cohort = make_cohort(name="Pine County academy")
    _login(client, trainer)
    response = _import(client, cohort, _roster_csv(["Wanbli Ŋa Redcloud,wanbli@example.org,,Tribal Police,Police",
                                                    "Ben Øster,ben@example.org,,County,Probation"]))
    html = response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store" and response.headers["Referrer-Policy"] == "no-referrer"
    assert "We emailed each new learner their link" in html
    links = re.findall(r'<code class="wrap-anywhere">([^<]+)</code>', html)
    assert [message["To"] for message in outbox] == ["wanbli@example.org", "ben@example.org"]
    for message, link in zip(outbox, links, strict=True):
        assert message["Subject"] == "You are invited to Pine County academy on CASOM LMS"
        assert link in message.get_content() and "14 days" in message.get_content()
    assert "Hello Wanbli Ŋa Redcloud," in outbox[0].get_content()


def test_invitations_the_mail_server_refused_are_marked_for_the_trainer(client, trainer, make_cohort, outbox):
    outbox.refuse = True
    cohort = make_cohort()
    _login(client, trainer)
    html = _import(client, cohort, _roster_csv(["New One,new.one@example.org,,County,Police"])).get_data(as_text=True)
    assert "1 of 1 invitation could not be emailed" in html and "<td>no</td>" in html
    assert _count(Invitation) == 1  # the link works: the trainer hands it over


def test_the_invitations_csv_is_kept_out_of_caches(client, trainer, make_cohort):
    cohort = make_cohort()
    _login(client, trainer)
    response = client.post(f"/trainer/cohorts/{cohort.id}/roster/invitations.csv",
                           data={"email": ["a@example.org"], "link": ["http://x/password/abc"]})
    assert response.headers["Cache-Control"] == "no-store"


def test_invitations_csv_is_formula_safe(client, trainer, make_cohort):
    cohort = make_cohort()
    _login(client, trainer)
    response = client.post(f"/trainer/cohorts/{cohort.id}/roster/invitations.csv",
                           data={"email": ["=cmd()@example.org"], "link": ["http://x/password/abc"]})
    assert response.mimetype == "text/csv"
    assert "'=cmd()@example.org" in response.get_data(as_text=True)


def test_roster_parser_reports_missing_header_columns():
    rows, errors = parse_roster("full name,mail\nA,a@example.org\n")
    assert rows == [] and errors[0].row_number == 1 and "missing: name, email" in errors[0].reason


def _cohort_with_learner(make_cohort, make_user, **fields):
    cohort = make_cohort(**fields)
    learner = make_user()
    enrollment, _ = operations.enroll_in_cohort(learner, cohort)
    db.session.commit()
    return cohort, learner, enrollment


def test_attendance_for_the_roster_in_one_form(client, trainer, make_cohort, make_user):
    cohort, learner, enrollment = _cohort_with_learner(make_cohort, make_user)
    absent = make_user()
    absent_enrollment, _ = operations.enroll_in_cohort(absent, cohort)
    db.session.commit()
    _login(client, trainer)
    assert client.get(f"/trainer/cohorts/{cohort.id}/attendance/1").status_code == 200
    client.post(f"/trainer/cohorts/{cohort.id}/attendance/1", data={"present": [str(enrollment.id)]})
    marks = dict(db.session.execute(select(Attendance.enrollment_id, Attendance.present)).all())
    assert marks == {enrollment.id: True, absent_enrollment.id: False}
    sheet = client.get(f"/trainer/cohorts/{cohort.id}/attendance/1/sheet").get_data(as_text=True)
    assert learner.name in sheet and absent.name in sheet


def test_day_completion_requires_presence_in_person(client, auth, trainer, make_cohort, make_user):
    cohort, learner, enrollment = _cohort_with_learner(make_cohort, make_user)
    auth.login(learner.email)
    walker = Learner(client)
    walker.read_module("basics")
    walker.take("basics")
    walker.read_module("newcomers")
    walker.take("newcomers")
    page = client.get("/curricula/fixture-course").get_data(as_text=True)
    assert "Attendance for Day 1 recorded by your trainer" in page
    assert walker.read("practice", "first").status_code == 403
    operations.record_attendance(cohort, trainer, 1, {enrollment.id})
    db.session.commit()
    assert walker.read("practice", "first").status_code == 302


def test_check_in_code_works_only_in_its_window_and_only_for_members(client, auth, trainer, make_cohort, make_user):
    cohort, learner, _enrollment = _cohort_with_learner(make_cohort, make_user)
    window = operations.open_check_in(cohort, trainer, 1, 15)
    db.session.commit()
    outsider = make_user()
    auth.login(outsider.email)
    refused = client.post("/check-in", data={"code": window.code})
    assert refused.status_code == 400 and "not valid for any cohort you belong to" in refused.get_data(as_text=True)
    client.post("/logout")
    auth.login(learner.email)
    assert client.post("/check-in", data={"code": window.code}).status_code == 302
    assert db.session.scalar(select(Attendance.method)) == "check_in"
    db.session.execute(CheckInWindow.__table__.update().values(opens_at=utcnow() - timedelta(hours=2),
                                                               closes_at=utcnow() - timedelta(hours=1)))
    db.session.execute(Attendance.__table__.delete())
    db.session.commit()
    late = client.post("/check-in", data={"code": window.code})
    assert late.status_code == 400 and "expired" in late.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0


def _open_window(make_cohort, make_user, trainer, learners=1):
    cohort = make_cohort()
    users = [make_user() for _ in range(learners)]
    for user in users:
        operations.enroll_in_cohort(user, cohort)
    window = operations.open_check_in(cohort, trainer, 1, 15)
    db.session.commit()
    wrong = f"{(int(window.code) + 1) % 10**6:06d}"
    return window.code, wrong, users


def test_the_eleventh_wrong_check_in_code_in_a_minute_gets_429(client, auth, trainer, make_cohort, make_user):
    code, wrong, (learner,) = _open_window(make_cohort, make_user, trainer)
    auth.login(learner.email)
    statuses = [client.post("/check-in", data={"code": wrong}).status_code for _ in range(10)]
    assert statuses == [400] * 10
    auth.logout()  # a new session does not start a new count
    auth.login(learner.email)
    limited = client.post("/check-in", data={"code": code})  # over the limit even the right code waits
    html = limited.get_data(as_text=True)
    assert limited.status_code == 429 and 0 < int(limited.headers["Retry-After"]) <= 60
    assert "<h1>Too many attempts</h1>" in html and "Too many wrong check-in codes. Wait a minute" in html
    assert _count(Attendance) == 0
    assert client.get("/check-in").status_code == 200  # the page itself is not limited


def test_a_right_check_in_code_within_the_limit_works_and_does_not_count(client, auth, trainer, make_cohort,
                                                                         make_user):
    code, wrong, (learner,) = _open_window(make_cohort, make_user, trainer)
    auth.login(learner.email)
    for _ in range(9):
        assert client.post("/check-in", data={"code": wrong}).status_code == 400
    assert client.post("/check-in", data={"code": code}).status_code == 302
    assert db.session.scalar(select(Attendance.method)) == "check_in"
    assert client.post("/check-in", data={"code": wrong}).status_code == 400  # the 10th failure, not the 11th try
    assert client.post("/check-in", data={"code": wrong}).status_code == 429


def test_wrong_check_in_codes_are_limited_per_address_across_accounts(app, trainer, make_cohort, make_user):
    code, wrong, learners = _open_window(make_cohort, make_user, trainer, learners=5)

    def client_for(user, address="10.1.1.1"):
        each = app.test_client()
        each.environ_base["REMOTE_ADDR"] = address
        assert each.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
        return each

    for user in learners[:3]:
        each = client_for(user)
        assert [each.post("/check-in", data={"code": wrong}).status_code for _ in range(10)] == [400] * 10
    assert client_for(learners[3]).post("/check-in", data={"code": code}).status_code == 429  # 31st from there
    assert client_for(learners[4], "10.2.2.2").post("/check-in", data={"code": code}).status_code == 302


def test_online_cohorts_have_no_attendance(client, trainer, make_cohort):
    cohort = make_cohort(delivery_mode="online")
    _login(client, trainer)
    assert client.get(f"/trainer/cohorts/{cohort.id}/attendance/1").status_code == 404


def test_progress_grid_flags_and_drill_down(client, auth, trainer, make_cohort, make_user):
    cohort, learner, enrollment = _cohort_with_learner(make_cohort, make_user, delivery_mode="online")
    auth.login(learner.email)
    walker = Learner(client)
    walker.read_module("basics")
    walker.take("basics", right=False)
    walker.take("basics", right=False)
    idle = make_user(name="Idle Ian")
    idle_enrollment, _ = operations.enroll_in_cohort(idle, cohort)
    idle_enrollment.last_activity_at = utcnow() - timedelta(days=8)
    db.session.commit()
    client.post("/logout")
    _login(client, trainer)
    html = client.get(f"/trainer/cohorts/{cohort.id}/progress").get_data(as_text=True)
    assert "At risk: 2 failed attempts on one quiz" in html and "At risk: No activity for 7 days" in html
    at_risk = client.get(f"/trainer/cohorts/{cohort.id}/progress?status=at_risk").get_data(as_text=True)
    assert "Showing 1\N{EN DASH}2 of 2 matching learners, 2 in the cohort." in at_risk
    csv_text = client.get(f"/trainer/cohorts/{cohort.id}/progress.csv").get_data(as_text=True)
    assert learner.email in csv_text and "Idle Ian" in csv_text
    drill = client.get(f"/trainer/cohorts/{cohort.id}/learners/{enrollment.id}").get_data(as_text=True)
    assert "Attempt 2" in drill and "not correct" in drill


def test_trainer_grants_one_more_attempt_audited(client, auth, trainer, make_cohort, make_user):
    from lms.core.audit import AuditEvent
    from tests.learning.helpers import quiz_id

    cohort, learner, enrollment = _cohort_with_learner(make_cohort, make_user, delivery_mode="online")
    auth.login(learner.email)
    walker = Learner(client)
    for _ in range(3):
        walker.take("basics", right=False)
    client.post("/logout")
    _login(client, trainer)
    client.post(f"/trainer/cohorts/{cohort.id}/learners/{enrollment.id}/grant/{quiz_id('basics')}",
                data={"reason": "Power cut"})
    assert db.session.scalar(select(AuditEvent.details).where(AuditEvent.action == "quiz.extra_attempt"))["reason"] \
        == "Power cut"
    client.post("/logout")
    auth.login(learner.email)
    assert walker.take("basics").number == 4


class CsrfConfig(_TestConfig):
    WTF_CSRF_ENABLED = True


def _csrf_token(page):
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_granting_an_attempt_without_a_csrf_token_is_400_and_grants_nothing(make_cohort, make_user, trainer):
    from lms import create_app
    from tests.learning.helpers import quiz_id

    cohort, _learner, enrollment = _cohort_with_learner(make_cohort, make_user)
    basics = quiz_id("basics")
    cohort_id, enrollment_id, email = cohort.id, enrollment.id, trainer.email
    db.session.close()  # the second app has its own engine; release this one's SQLite lock
    staff = create_app(CsrfConfig).test_client()
    token = _csrf_token(staff.get("/login").get_data(as_text=True))
    assert staff.post("/login", data={"email": email, "password": PASSWORD,
                                      "csrf_token": token}).status_code == 302
    grant = f"/trainer/cohorts/{cohort_id}/learners/{enrollment_id}/grant"
    refused = staff.post(f"{grant}/{basics}", data={"reason": "no token"})
    assert refused.status_code == 400 and "Your form expired" in refused.get_data(as_text=True)
    assert _count(AttemptGrant) == 0
    db.session.close()
    token = _csrf_token(staff.get(f"/trainer/cohorts/{cohort_id}").get_data(as_text=True))
    assert staff.post(f"{grant}/999999", data={"reason": "x", "csrf_token": token}).status_code == 404
    assert staff.post(f"{grant}/{basics}", data={"reason": "ok", "csrf_token": token}).status_code == 302
    assert _count(AttemptGrant) == 1


def test_pre_test_attempts_are_not_failures_for_the_at_risk_flag(make_cohort, make_user, curriculum):
    from tests.cohorts.report_fixtures import Course

    course = Course(curriculum)
    cohort, _learner, enrollment = _cohort_with_learner(make_cohort, make_user, delivery_mode="online")
    for number in (1, 2, 3):
        attempt = course.take(enrollment, "pretest", [("pretest-1", ["a"]), ("pretest-2", ["true"])], number=number)
        assert attempt.passed is False and attempt.score == 100  # no pass mark: never "passed"
    row = grid.build(cohort).rows[0]
    assert row.flags == () and row.pretest == 100
    course.take(enrollment, "basics", [("q-single", ["c"])], number=1)
    course.take(enrollment, "basics", [("q-single", ["c"])], number=2)
    assert grid.build(cohort).rows[0].flags == ("2 failed attempts on one quiz",)


def test_certificate_names_the_cohort_and_trainer(make_cohort, make_user, trainer):
    from lms.certificates.operations import issue_certificate_if_complete

    _cohort, _learner, enrollment = _cohort_with_learner(make_cohort, make_user, name="Pine County academy")
    enrollment.completed_at = utcnow()
    certificate = issue_certificate_if_complete(enrollment)
    assert certificate.cohort_name == "Pine County academy" and certificate.trainer_names == "Terry Trainer"


def test_crossover_cohort_alternates_forms_and_swaps_the_question_banks(client, auth, make_cohort, make_user):
    from lms.curricula.models import Question
    from lms.quizzes.models import Answer

    cohort = make_cohort(crossover_forms=True, delivery_mode="online")
    users = [make_user() for _ in range(4)]
    orders = [operations.enroll_in_cohort(user, cohort)[0].form_order for user in users]
    db.session.commit()
    assert sorted(orders) == ["AB", "AB", "BA", "BA"]
    second = users[orders.index("BA")]
    auth.login(second.email)
    attempt_id = Learner(client).start("pretest")
    keys = set(db.session.scalars(select(Question.key).join(Answer, Answer.question_id == Question.id)
                                  .where(Answer.attempt_id == attempt_id)))
    assert keys == {"posttest-1", "posttest-2"}


ROUTES = [
    ("get", "/trainer/cohorts/{id}"), ("get", "/trainer/cohorts/{id}/edit"), ("post", "/trainer/cohorts/{id}/edit"),
    ("post", "/trainer/cohorts/{id}/join-code/regenerate"), ("get", "/trainer/cohorts/{id}/roster"),
    ("post", "/trainer/cohorts/{id}/roster/add"), ("post", "/trainer/cohorts/{id}/roster/import"),
    ("post", "/trainer/cohorts/{id}/roster/invitations.csv"), ("get", "/trainer/cohorts/{id}/attendance/1"),
    ("post", "/trainer/cohorts/{id}/attendance/1"), ("post", "/trainer/cohorts/{id}/attendance/1/check-in"),
    ("get", "/trainer/cohorts/{id}/attendance/1/sheet"), ("get", "/trainer/cohorts/{id}/progress"),
    ("get", "/trainer/cohorts/{id}/progress.csv"), ("get", "/trainer/cohorts/{id}/learners/{enrollment}"),
    ("post", "/trainer/cohorts/{id}/learners/{enrollment}/grant/{quiz}"),
    ("get", "/trainer/cohorts/{id}/reports/items"), ("get", "/trainer/cohorts/{id}/reports/items.csv"),
    ("get", "/trainer/cohorts/{id}/reports/gain"), ("get", "/trainer/cohorts/{id}/reports/gain.csv"),
    ("get", "/trainer/cohorts/{id}/reports/completion"), ("get", "/trainer/cohorts/{id}/reports/completion.csv"),
    ("post", "/trainer/cohorts/{id}/join-code/close"), ("post", "/trainer/cohorts/{id}/join-code/open"),
    ("get", "/trainer/cohorts/{id}/evaluation"), ("get", "/trainer/cohorts/{id}/evaluation.csv"),
]


def test_the_route_list_covers_every_cohort_page_and_action(app):
    listed = {re.sub(r"\{[a-z]+\}|\b\d+\b", "<>", route) for _method, route in ROUTES}
    rules = {re.sub(r"<[^>]+>", "<>", rule.rule) for rule in app.url_map.iter_rules()
             if rule.rule.startswith("/trainer/cohorts/<")}
    assert rules <= listed | {"/trainer/cohorts/<>/join-code/<>"}


@pytest.mark.parametrize(("method", "route"), ROUTES)
def test_another_trainer_gets_404_and_a_trainee_403_on_every_cohort_route(client, make_cohort, make_user,
                                                                         method, route):
    from tests.learning.helpers import quiz_id

    cohort, learner, enrollment = _cohort_with_learner(make_cohort, make_user)
    path = route.format(id=cohort.id, enrollment=enrollment.id, quiz=quiz_id("basics"))
    other_trainer = make_user(role="trainer")

    def status():
        response = getattr(client, method)(path)
        response.get_data()  # a wrongly-200 CSV streams here, inside its request, and fails the assert
        response.close()
        return response.status_code

    _login(client, other_trainer)
    assert status() == 404
    client.post("/logout")
    _login(client, learner)
    assert status() == 403
    client.post("/logout")
    assert status() == 302  # anonymous: to the login page


def test_a_malformed_roster_file_is_reported_not_crashed():
    rows, errors = parse_roster("name,email\n" + "x" * 200_000 + ",a@example.org\n")
    assert rows == [] and "could not be read as CSV" in errors[0].reason


def test_recording_attendance_runs_the_same_statements_for_two_learners_or_five(client, trainer, make_cohort,
                                                                              make_user, count_queries):
    _login(client, trainer)
    counts = []
    for size in (1, 2, 5):  # the first warms the caches a running server has warm
        cohort = make_cohort(name=f"Class of {size}")
        enrollments = [operations.enroll_in_cohort(make_user(), cohort)[0] for _ in range(size)]
        db.session.commit()
        with count_queries() as counted:
            response = client.post(f"/trainer/cohorts/{cohort.id}/attendance/1",
                                   data={"present": [str(enrollments[0].id)]})
        assert response.status_code == 302
        counts.append(len(counted))
    assert counts[1] == counts[2], counts


@pytest.mark.parametrize("round_number", range(int(os.environ.get("LMS_CONCURRENCY_ROUNDS", 2))))
def test_a_check_in_while_the_trainer_saves_the_roster_leaves_one_mark(app, trainer, make_cohort, make_user,
                                                                       round_number):
    cohort, learner, enrollment = _cohort_with_learner(make_cohort, make_user)
    window = operations.open_check_in(cohort, trainer, 1, 15)
    db.session.commit()
    ids = {"cohort": cohort.id, "trainer": trainer.id, "learner": learner.id, "code": window.code}
    enrollment_id = enrollment.id
    db.session.commit()  # end the read those ids began: on SQLite it holds the write lock
    barrier = threading.Barrier(2, timeout=30)

    def mark(by):
        with app.app_context():
            barrier.wait()
            if by == "trainer":
                operations.record_attendance(db.session.get(Cohort, ids["cohort"]),
                                             db.session.get(User, ids["trainer"]), 1, set())
            else:
                operations.check_in(db.session.get(User, ids["learner"]), ids["code"])
            db.session.commit()
            return by

    with ThreadPoolExecutor(max_workers=2) as pool:
        assert sorted(pool.map(mark, ["trainer", "learner"])) == ["learner", "trainer"]
    marks = db.session.execute(select(Attendance.method, Attendance.present)
                               .where(Attendance.enrollment_id == enrollment_id)).all()
    assert marks in ([("roster", False)], [("check_in", True)])  # one row: whichever wrote last

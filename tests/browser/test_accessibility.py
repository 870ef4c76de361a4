"""Every kind of page a learner, a trainer, an administrator or a visitor can reach meets WCAG 2.1
AA (Section 508) as far as axe-core can tell, has one h1, a skip link to <main>, labelled controls and described errors,
weighs at most 100 KB and does not scroll sideways on a 375 px wide phone (issue 8).

Each entry below brings a fresh browser to one page in one state; add an entry for a new page."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import audit_page, record_responses
from tests.browser.journey import attempt_id, heading
from tests.browser.seeding import authenticator_code

pytestmark = pytest.mark.browser

CURRICULUM = "/curricula/fixture-course"


class Visit:
    """Brings a page to a state: seeds the learner through the domain, then browses as them."""

    def __init__(self, page, site):
        self.page = page
        self.seed = site.seed

    def goto(self, path, status=200):
        response = self.page.goto(path)
        assert response.status == status, f"{path} answered {response.status}, expected {status}"

    def submit(self, button, status=200):
        with self.page.expect_navigation() as navigation:
            self.page.locator("main").get_by_role("button", name=button).click()
        assert navigation.value.status == status, f"{button} answered {navigation.value.status}, expected {status}"

    def login(self, account):
        self.goto("/login")
        self.page.get_by_label("Email", exact=True).fill(account.email)
        self.page.get_by_label("Password", exact=True).fill(account.password)
        self.submit("Log in")
        return account

    def learner(self):
        """A logged-in trainee enrolled on the introductory track, with nothing done yet."""
        return self.login(self.seed.enroll(self.seed.account()))

    def attempt(self, quiz_key="basics"):
        account = self.learner()
        self.goto(f"/attempts/{self.seed.start(account, quiz_key)}")
        return account

    def results(self, quiz_key="basics", right=True, times=1):
        account = self.learner()
        for _ in range(times):
            attempt_id = self.seed.take(account, quiz_key, right)
        self.goto(f"/attempts/{attempt_id}/results")
        return account

    def completed(self):
        account = self.learner()
        self.seed.finish_curriculum(account)
        return account

    def staff(self, role="trainer"):
        """A trainer or administrator logged in with password and a code from their app."""
        account = self.seed.staff(role)
        self.login(account)
        self.page.get_by_label("Verification code", exact=True).fill(account.current_code())
        self.submit("Verify")
        return account

    def cohort_of_three(self, delivery="in_person"):
        """A logged-in trainer whose cohort has a learner done with Day 1, one at risk, one not
        started; the cohort's id."""
        trainer = self.staff()
        learners = [self.seed.account(name) for name in ("Ana Ŋa Lopez", "Ben Øster", "Chloé Begay")]
        cohort_id = self.seed.cohort(trainer, learners, delivery=delivery)
        self.seed.finish_day_one(learners[0])
        for _ in range(2):
            self.seed.take(learners[1], "basics", right=False)
        return cohort_id

    def reported_cohort(self):
        """A logged-in trainer whose online cohort has five finished learners; the cohort's id."""
        trainer = self.staff()
        return self.seed.reported_cohort(trainer)


def _catalog(visit):
    visit.goto("/")
    expect(heading(visit.page)).to_have_text("Training catalog")


def _curriculum_anonymous(visit):
    visit.goto(CURRICULUM)
    expect(visit.page.locator("main")).to_contain_text("to enroll")


def _curriculum_not_enrolled(visit):
    visit.login(visit.seed.account())
    visit.goto(CURRICULUM)
    expect(visit.page.get_by_role("group", name="Choose your track")).to_be_visible()


def _curriculum_day_two_locked(visit):
    visit.learner()
    visit.goto(CURRICULUM)
    expect(visit.page.locator("main")).to_contain_text("Day 2 opens when Day 1 is complete")


def _curriculum_complete(visit):
    visit.completed()
    visit.goto(CURRICULUM)
    expect(visit.page.get_by_role("link", name="View your certificate")).to_be_visible()


def _module_anonymous(visit):
    visit.goto(f"{CURRICULUM}/modules/basics")
    expect(heading(visit.page)).to_have_text("Module basics")


def _module_in_progress(visit):
    account = visit.learner()
    visit.seed.read(account, "basics", ("first",))
    visit.goto(f"{CURRICULUM}/modules/basics")
    expect(visit.page.locator("main")).to_contain_text("In progress")


def _lesson(visit):
    visit.learner()
    visit.goto(f"{CURRICULUM}/modules/basics/lessons/first")
    expect(visit.page.get_by_role("button", name="Mark as read and continue")).to_be_visible()


def _lesson_not_enrolled(visit):
    visit.login(visit.seed.account())
    visit.goto(f"{CURRICULUM}/modules/basics/lessons/first")
    expect(visit.page.locator("main")).to_contain_text("You are reading as a guest")


def _lesson_day_two_locked(visit):
    visit.learner()
    visit.goto(f"{CURRICULUM}/modules/practice/lessons/first")
    expect(visit.page.locator("main")).to_contain_text("Day 2 is locked")


def _quiz_start(visit):
    visit.learner()
    visit.goto(f"{CURRICULUM}/quizzes/basics")
    expect(visit.page.get_by_role("button", name="Start the quiz")).to_be_visible()


def _quiz_with_attempts(visit):
    account = visit.learner()
    visit.seed.take(account, "basics", right=False)
    visit.goto(f"{CURRICULUM}/quizzes/basics")
    expect(visit.page.get_by_role("table")).to_contain_text("not passed")


def _attempt(visit):
    visit.attempt()
    expect(visit.page.get_by_role("button", name="Submit answers for grading")).to_be_visible()


def _attempt_saved(visit):
    visit.attempt()
    for position, choices in visit.seed.answer_key(attempt_id(visit.page)).items():
        for choice in choices:
            visit.page.locator(f"input[name='q{position}'][value='{choice}']").check()
    visit.submit("Save answers and finish later")
    expect(visit.page.get_by_role("status")).to_contain_text("Your answers are saved")


def _attempt_unanswered(visit):
    # Unanswered questions are allowed (graded as no answer), so the only way to the error state is
    # an answer that was never offered, as a tampered or stale form would send.
    visit.attempt()
    radio = visit.page.locator("input[type=radio]").first
    radio.evaluate("element => { element.value = '999999'; }")
    radio.check()
    visit.submit("Submit answers for grading", status=400)
    expect(visit.page.get_by_role("alert")).to_contain_text("Please check them")


def _results_failed(visit):
    visit.results(right=False)
    expect(visit.page.locator("main")).to_contain_text("Not passed")


def _results_passed(visit):
    visit.results(right=True)
    expect(visit.page.locator("main")).to_contain_text("Passed")


def _results_last_attempt(visit):
    visit.results(right=False, times=3)
    expect(visit.page.locator("main")).to_contain_text("Correct answer:")


def _results_pretest(visit):
    visit.results(quiz_key="pretest", right=False)
    expect(visit.page.locator("main")).to_contain_text("the pre-test is not graded")


def _pretest_closed(visit):
    account = visit.learner()
    visit.seed.read(account, "basics", ("first",))
    visit.goto(f"{CURRICULUM}/quizzes/pretest")
    expect(visit.page.locator("main")).to_contain_text("The pre-test closes once you start the course")


def _out_of_attempts(visit):
    account = visit.learner()
    for _ in range(3):
        visit.seed.take(account, "basics", right=False)
    visit.goto(f"{CURRICULUM}/quizzes/basics")
    expect(visit.page.locator("main")).to_contain_text("You have used every attempt allowed")


def _posttest_locked(visit):
    visit.learner()
    visit.goto(f"{CURRICULUM}/quizzes/posttest")
    expect(visit.page.locator("main")).to_contain_text("The post-test opens when")


def _dashboard_empty(visit):
    visit.login(visit.seed.account())
    visit.goto("/dashboard")
    expect(visit.page.locator("main")).to_contain_text("You are not enrolled in any curriculum yet")


def _dashboard_enrolled(visit):
    visit.learner()
    visit.goto("/dashboard")
    expect(visit.page.locator("main")).to_contain_text("Still to do")


def _dashboard_complete(visit):
    visit.completed()
    visit.goto("/dashboard")
    expect(visit.page.locator("main")).to_contain_text("You completed this curriculum")


def _login(visit):
    visit.goto("/login")


def _login_with_errors(visit):
    account = visit.seed.account()
    visit.goto("/login")
    visit.page.get_by_label("Email", exact=True).fill(account.email)
    visit.page.get_by_label("Password", exact=True).fill("not the password at all")
    visit.submit("Log in")
    expect(visit.page.get_by_role("alert")).to_contain_text("The email or password is not correct")


def _register(visit):
    visit.goto("/register")


def _register_with_errors(visit):
    visit.goto("/register")
    visit.page.get_by_label("Email", exact=True).fill("not-an-address")
    visit.page.get_by_label("Password", exact=True).fill("short")
    visit.page.get_by_label("Repeat password", exact=True).fill("different")
    visit.submit("Create account")
    expect(visit.page.get_by_role("alert")).to_contain_text("Please correct the following")


def _not_found(visit):
    visit.goto("/no-such-page", status=404)


def _forbidden(visit):
    """A lesson form sent for a lesson of the locked Day 2 (say, from a page saved earlier)."""
    visit.learner()
    visit.goto(f"{CURRICULUM}/modules/basics/lessons/first")
    visit.page.locator("main form").evaluate(
        "(form, action) => { form.action = action; }", f"{CURRICULUM}/modules/practice/lessons/first/read")
    visit.submit("Mark as read and continue", status=403)


def _method_not_allowed(visit):
    visit.goto("/logout", status=405)


def _csrf_failure(visit):
    """The session cookie, and with it the form's CSRF secret, is gone when the form is sent."""
    account = visit.seed.account()
    visit.goto("/login")
    visit.page.context.clear_cookies()
    visit.page.get_by_label("Email", exact=True).fill(account.email)
    visit.page.get_by_label("Password", exact=True).fill(account.password)
    visit.submit("Log in", status=400)
    expect(visit.page.locator("main")).to_contain_text("Your form expired")


def _certificate(visit):
    account = visit.completed()
    visit.goto(f"/certificates/{visit.seed.certificate_code(account)}")
    expect(heading(visit.page)).to_have_text("Certificate of Completion")


def _revoked_for_learner(visit):
    """A learner whose certificate an administrator has revoked; returns its code."""
    account = visit.completed()
    code = visit.seed.certificate_code(account)
    visit.seed.revoke(visit.seed.staff("admin"), code)
    return code


def _certificate_revoked(visit):
    visit.goto(f"/certificates/{_revoked_for_learner(visit)}")
    expect(visit.page.get_by_role("status")).to_contain_text("This certificate was revoked on")
    expect(visit.page.get_by_role("link", name="Download PDF")).to_have_count(0)


def _dashboard_certificate_revoked(visit):
    _revoked_for_learner(visit)
    visit.goto("/dashboard")
    expect(visit.page.get_by_role("link", name="See the revoked certificate")).to_be_visible()


def _verify_form(visit):
    visit.goto("/verify")


def _verify_form_with_errors(visit):
    visit.goto("/verify")
    visit.page.get_by_label("Certificate code", exact=True).fill("not a code")
    visit.submit("Check certificate", status=400)
    expect(visit.page.get_by_role("alert")).to_contain_text("That is not a certificate code")


def _verify_valid(visit):
    account = visit.seed.account()
    visit.seed.enroll(account)
    visit.seed.finish_curriculum(account)
    visit.goto(f"/verify/{visit.seed.certificate_code(account)}")
    expect(heading(visit.page)).to_have_text("This certificate is valid")


def _verify_not_found(visit):
    visit.goto("/verify/CASOM-0000-0000-0000", status=404)


# --- trainers and administrators ---------------------------------------------------------------

ROSTER = (b"name,email,track,agency,discipline\n"
          b"Dana Whitehorse,dana.whitehorse.{n}@example.org,advanced,Tribal Police,law enforcement\n"
          b"Nobody,not-an-email,introductory,Somewhere,probation\n")


def _login_second_step(visit):
    account = visit.seed.staff("trainer")
    visit.login(account)
    expect(heading(visit.page)).to_have_text("Two-step verification")


def _login_second_step_wrong_code(visit):
    account = visit.seed.staff("trainer")
    visit.login(account)
    visit.page.get_by_label("Verification code", exact=True).fill("000000")
    visit.submit("Verify", status=400)
    expect(visit.page.get_by_role("alert")).to_be_visible()


def _mfa_required(visit):
    visit.login(visit.seed.staff("trainer", two_step=False))
    visit.goto("/trainer/cohorts")
    expect(visit.page.locator("main")).to_contain_text("Your role requires two-step verification")


def _mfa_setup(visit):
    _mfa_required(visit)
    visit.submit("I have an app: show the code to scan")
    expect(visit.page.locator("#manual-key")).to_be_visible()


def _mfa_setup_wrong_code(visit):
    _mfa_setup(visit)
    visit.page.get_by_label("Code from the app", exact=True).fill("123")
    visit.submit("Turn on two-step verification", status=400)
    expect(visit.page.get_by_role("alert")).to_be_visible()


def _recovery_codes(visit):
    _mfa_setup(visit)
    secret = visit.page.locator("#manual-key").inner_text()
    visit.page.get_by_label("Code from the app", exact=True).fill(authenticator_code(secret))
    visit.submit("Turn on two-step verification")
    expect(heading(visit.page)).to_have_text("Your recovery codes")


def _account(visit):
    visit.learner()
    visit.goto("/account")


def _account_staff(visit):
    visit.staff()
    visit.goto("/account")
    expect(visit.page.locator("main")).to_contain_text("Two-step verification")


def _reauthenticate(visit):
    visit.learner()
    visit.page.context.clear_cookies()
    visit.learner()
    visit.goto("/reauthenticate")


def _cohorts_empty(visit):
    visit.staff()
    visit.goto("/trainer/cohorts")
    expect(visit.page.locator("main")).to_contain_text("You have no cohorts yet")


def _cohorts_list(visit):
    visit.cohort_of_three()
    visit.goto("/trainer/cohorts")
    expect(visit.page.get_by_role("table")).to_contain_text("Pine County academy")


def _cohort_new(visit):
    visit.staff()
    visit.goto("/trainer/cohorts/new")


def _cohort_new_with_errors(visit):
    visit.staff()
    visit.goto("/trainer/cohorts/new")
    visit.page.get_by_label("Day 1 date", exact=True).fill("2027-03-04")
    visit.page.get_by_label("Day 2 date", exact=True).fill("2027-03-01")
    visit.submit("Save cohort", status=400)
    expect(visit.page.get_by_role("alert")).to_be_visible()


def _cohort_page(path, text=None):
    """A trainer's page of their cohort of three (`path` after /trainer/cohorts/<id>)."""
    def visit_cohort_page(visit):
        cohort_id = visit.cohort_of_three()
        visit.goto(f"/trainer/cohorts/{cohort_id}{path}")
        if text:
            expect(visit.page.locator("main")).to_contain_text(text)
    return visit_cohort_page


def _progress_grid_page_two(visit):
    """A cohort of 105: the grid's page links, on the second of two pages."""
    trainer = visit.staff()
    cohort_id = visit.seed.cohort(trainer, [visit.seed.account() for _ in range(105)])
    visit.goto(f"/trainer/cohorts/{cohort_id}/progress?page=2&sort=-progress")
    expect(visit.page.get_by_role("navigation", name="Pages of learners")).to_contain_text("Previous")
    expect(visit.page.get_by_role("status")).to_contain_text("Showing 101\u2013105 of 105 learners")


def _roster_import_result(visit):
    cohort_id = visit.cohort_of_three()
    visit.goto(f"/trainer/cohorts/{cohort_id}/roster")
    roster = ROSTER.replace(b"{n}", str(cohort_id).encode())
    visit.page.get_by_label("Roster CSV file", exact=True).set_input_files(
        files=[{"name": "roster.csv", "mimeType": "text/csv", "buffer": roster}])
    visit.submit("Import roster")
    expect(visit.page.get_by_role("table", name="Invitation links")).to_be_visible()


def _attendance(visit):
    cohort_id = visit.cohort_of_three()
    visit.goto(f"/trainer/cohorts/{cohort_id}/attendance/1")
    visit.page.get_by_label("Ana Ŋa Lopez (not recorded)").check()
    visit.submit("Save attendance")
    expect(visit.page.locator("main")).to_contain_text("Ana Ŋa Lopez (present)")


def _attendance_check_in_open(visit):
    cohort_id = visit.cohort_of_three()
    visit.goto(f"/trainer/cohorts/{cohort_id}/attendance/2")
    visit.submit("Open check-in")
    expect(visit.page.locator("main")).to_contain_text("valid until")


def _learner_record(visit):
    cohort_id = visit.cohort_of_three()
    visit.goto(f"/trainer/cohorts/{cohort_id}/progress")
    with visit.page.expect_navigation():
        visit.page.get_by_role("link", name="Ben Øster").click()
    expect(visit.page.locator("main")).to_contain_text("not passed")


def _report(path, text):
    def visit_report(visit):
        cohort_id = visit.reported_cohort()
        visit.goto(f"/trainer/cohorts/{cohort_id}/{path}")
        expect(visit.page.locator("main")).to_contain_text(text)
    return visit_report


def _evaluation_curriculum(visit):
    visit.reported_cohort()
    visit.goto("/trainer/curricula/fixture-course/evaluation")


def _evaluation_survey(visit):
    account = visit.learner()
    visit.seed.finish_curriculum(account)
    visit.goto("/curricula/fixture-course/evaluation")
    expect(visit.page.get_by_role("button", name="Send my evaluation")).to_be_visible()


def _join(visit):
    visit.learner()
    visit.goto("/join")


def _join_with_errors(visit):
    visit.learner()
    visit.goto("/join")
    visit.page.get_by_label("Cohort join code", exact=True).fill("NOPE-NOPE")
    visit.submit("Join cohort", status=400)
    expect(visit.page.get_by_role("alert")).to_be_visible()


def _check_in(visit):
    visit.learner()
    visit.goto("/check-in")


def _forgot_password(visit):
    visit.goto("/login")
    with visit.page.expect_navigation():
        visit.page.get_by_role("link", name="Forgot your password?").click()
    expect(visit.page.get_by_role("button", name="Email me a link")).to_be_visible()


def _forgot_password_with_errors(visit):
    visit.goto("/password/forgot")
    visit.page.get_by_label("Email", exact=True).fill("not an address")
    visit.submit("Email me a link", status=400)
    expect(visit.page.get_by_role("alert")).to_contain_text("Enter an email address")


def _forgot_password_sent(visit):
    account = visit.seed.account()
    visit.goto("/password/forgot")
    visit.page.get_by_label("Email", exact=True).fill(account.email)
    visit.submit("Email me a link")
    expect(visit.page.get_by_role("heading", level=1)).to_have_text("Check your email")


def _set_password(visit):
    account = visit.seed.account()
    visit.goto(visit.seed.password_link(account))
    expect(visit.page.get_by_role("button", name="Set password")).to_be_visible()


def _admin(path, text):
    def visit_admin(visit):
        visit.cohort_of_three()
        visit.page.context.clear_cookies()
        visit.staff("admin")
        visit.goto(path)
        expect(visit.page.locator("main")).to_contain_text(text)
    return visit_admin


def _admin_user(visit):
    learner = visit.seed.account("Dana Ŋa Whitehorse")
    visit.staff("admin")
    visit.goto(f"/admin/users?q={learner.email}")
    with visit.page.expect_navigation():
        visit.page.locator("main").get_by_role("link", name="Dana Ŋa Whitehorse").click()
    expect(visit.page.get_by_role("button", name="Sign out everywhere")).to_be_visible()


def _completed_certificate(visit):
    account = visit.seed.enroll(visit.seed.account("Chloé Ŋa Begay"))
    visit.seed.finish_curriculum(account)
    return visit.seed.certificate_code(account)


def _admin_certificate(visit):
    code = _completed_certificate(visit)
    visit.staff("admin")
    visit.goto(f"/admin/certificates/{code}")
    expect(visit.page.get_by_role("button", name="Revoke certificate")).to_be_visible()


def _admin_certificate_revoked(visit):
    code = _completed_certificate(visit)
    admin = visit.staff("admin")
    visit.seed.revoke(admin, code)
    visit.goto(f"/admin/certificates/{code}")
    expect(visit.page.locator("main")).to_contain_text("Revoked")


def _verify_revoked(visit):
    code = _completed_certificate(visit)
    visit.seed.revoke(visit.seed.staff("admin"), code)
    visit.goto(f"/verify/{code}")
    expect(heading(visit.page)).to_contain_text("revoked")


PAGES = {
    "catalog": _catalog,
    "curriculum-anonymous": _curriculum_anonymous,
    "curriculum-not-enrolled": _curriculum_not_enrolled,
    "curriculum-enrolled-day-2-locked": _curriculum_day_two_locked,
    "curriculum-complete": _curriculum_complete,
    "module-anonymous": _module_anonymous,
    "module-in-progress": _module_in_progress,
    "lesson": _lesson,
    "lesson-not-enrolled": _lesson_not_enrolled,
    "lesson-day-2-locked": _lesson_day_two_locked,
    "quiz-start": _quiz_start,
    "quiz-with-attempts": _quiz_with_attempts,
    "quiz-pretest-closed": _pretest_closed,
    "quiz-out-of-attempts": _out_of_attempts,
    "quiz-posttest-locked": _posttest_locked,
    "attempt": _attempt,
    "attempt-saved": _attempt_saved,
    "attempt-submitted-unanswered": _attempt_unanswered,
    "results-failed": _results_failed,
    "results-passed": _results_passed,
    "results-last-attempt": _results_last_attempt,
    "results-pretest": _results_pretest,
    "dashboard-empty": _dashboard_empty,
    "dashboard-enrolled": _dashboard_enrolled,
    "dashboard-complete": _dashboard_complete,
    "login": _login,
    "login-with-errors": _login_with_errors,
    "register": _register,
    "register-with-errors": _register_with_errors,
    "error-404": _not_found,
    "error-403": _forbidden,
    "error-405": _method_not_allowed,
    "error-400-csrf": _csrf_failure,
    "certificate": _certificate,
    "certificate-revoked": _certificate_revoked,
    "dashboard-certificate-revoked": _dashboard_certificate_revoked,
    "verify": _verify_form,
    "verify-with-errors": _verify_form_with_errors,
    "verify-valid": _verify_valid,
    "verify-not-found": _verify_not_found,
    "verify-revoked": _verify_revoked,
    "set-password-link": _set_password,
    "forgot-password": _forgot_password,
    "forgot-password-with-errors": _forgot_password_with_errors,
    "forgot-password-sent": _forgot_password_sent,
    "account": _account,
    "account-staff": _account_staff,
    "reauthenticate": _reauthenticate,
    "login-second-step": _login_second_step,
    "login-second-step-wrong-code": _login_second_step_wrong_code,
    "mfa-required": _mfa_required,
    "mfa-setup": _mfa_setup,
    "mfa-setup-wrong-code": _mfa_setup_wrong_code,
    "mfa-recovery-codes": _recovery_codes,
    "join": _join,
    "join-with-errors": _join_with_errors,
    "check-in": _check_in,
    "evaluation-survey": _evaluation_survey,
    "cohorts-empty": _cohorts_empty,
    "cohorts-list": _cohorts_list,
    "cohort-new": _cohort_new,
    "cohort-new-with-errors": _cohort_new_with_errors,
    "cohort-edit": _cohort_page("/edit"),
    "cohort-overview": _cohort_page("", "Join code"),
    "roster": _cohort_page("/roster", "Ben Øster"),
    "roster-import-result": _roster_import_result,
    "attendance": _attendance,
    "attendance-check-in-open": _attendance_check_in_open,
    "sign-in-sheet": _cohort_page("/attendance/1/sheet", "Chloé Begay"),
    "progress-grid": _cohort_page("/progress", "At risk"),
    "progress-grid-filtered": _cohort_page("/progress?status=at_risk&sort=-progress", "Ben Øster"),
    "progress-grid-page-2": _progress_grid_page_two,
    "learner-record": _learner_record,
    "report-completion": _report("reports/completion", "Certificates (valid)"),
    "report-knowledge-gain": _report("reports/gain", "Knowledge gain"),
    "report-item-analysis": _report("reports/items", "Item analysis"),
    "evaluation-summary": _report("evaluation", "Response rate"),
    "evaluation-summary-suppressed": _cohort_page("/evaluation", "Nothing else is shown until"),
    "evaluation-curriculum-summary": _evaluation_curriculum,
    "admin-home": _admin("/admin/", "Administration"),
    "admin-users": _admin("/admin/users", "Ana Ŋa Lopez"),
    "admin-user": _admin_user,
    "admin-audit-log": _admin("/admin/audit", "cohort.created"),
    "admin-imports": _admin("/admin/imports", "fixture-course"),
    "admin-certificates": _admin("/admin/certificates", "Certificates"),
    "admin-all-cohorts": _admin("/trainer/cohorts", "All cohorts"),
    "admin-certificate": _admin_certificate,
    "admin-certificate-revoked": _admin_certificate_revoked,
}


@pytest.mark.parametrize("name", PAGES)
def test_page_meets_wcag_21_aa_and_stays_light(open_page, site, name):
    page = open_page()
    recorder = record_responses(page)
    PAGES[name](Visit(page, site))
    weight = audit_page(page, recorder, label=name)
    print(f"{name}: {weight['bytes']} bytes in {weight['resources']} responses")

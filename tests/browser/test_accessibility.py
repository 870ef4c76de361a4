"""Every kind of page a learner or a visitor can reach meets WCAG 2.1 AA (Section 508) as far as
axe-core can tell, has one h1, a skip link to <main>, labelled controls and described errors,
weighs at most 100 KB and does not scroll sideways on a 375 px wide phone (issue 8).

Each entry below brings a fresh browser to one page in one state; add an entry for a new page."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import audit_page, record_responses
from tests.browser.journey import attempt_id, heading

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
    "verify": _verify_form,
    "verify-with-errors": _verify_form_with_errors,
    "verify-valid": _verify_valid,
    "verify-not-found": _verify_not_found,
}


@pytest.mark.parametrize("name", PAGES)
def test_page_meets_wcag_21_aa_and_stays_light(open_page, site, name):
    page = open_page()
    recorder = record_responses(page)
    PAGES[name](Visit(page, site))
    weight = audit_page(page, recorder, label=name)
    print(f"{name}: {weight['bytes']} bytes in {weight['resources']} responses")

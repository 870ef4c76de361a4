"""A trainer runs a cohort and an administrator revokes a certificate, in a real browser (issue 8):
the trainer turns on two-step verification at first login, creates an in-person cohort, imports a
roster, marks attendance on both days, reads the grid and the reports and downloads their CSV; an
administrator logs in with a code, revokes the certificate, and the public page says so."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from tests.browser.journey import heading
from tests.browser.seeding import authenticator_code

pytestmark = pytest.mark.browser


class Staff:
    """A member of staff at the browser: clicks links and buttons, fills labelled fields."""

    def __init__(self, page):
        self.page = page
        self.main = page.locator("main")

    def follow(self, name, in_header=False):
        area = self.page.locator("header") if in_header else self.main
        with self.page.expect_navigation():
            area.get_by_role("link", name=name, exact=True).first.click()

    def press(self, name):
        with self.page.expect_navigation():
            self.main.get_by_role("button", name=name, exact=True).click()

    def fill(self, label, text):
        self.page.get_by_label(label, exact=True).fill(text)

    def download(self):
        """Follow the page's first "Download CSV ..." link; the file's text."""
        with self.page.expect_download() as download:
            self.main.get_by_role("link", name=re.compile(r"^Download CSV")).first.click()
        with open(download.value.path(), encoding="utf-8-sig") as handle:
            return handle.read()

    def log_in(self, account):
        self.page.goto("/login")
        self.fill("Email", account.email)
        self.fill("Password", account.password)
        self.press("Log in")

    def log_out(self):
        with self.page.expect_navigation():
            self.page.locator("header").get_by_role("button", name="Log out").click()


def test_trainer_runs_a_cohort_and_an_administrator_revokes_a_certificate(page, site):
    seed = site.seed
    trainer = seed.staff("trainer", two_step=False)
    returning = seed.account("Wanbli Ŋa Redcloud")  # already has an account: enrolled, not invited
    staff = Staff(page)

    _first_login_turns_on_two_step_verification(staff, trainer)
    cohort_name = _create_an_in_person_cohort(staff)
    _import_a_roster(staff, returning)
    _learners_work_and_trainer_marks_attendance(staff, seed, trainer, returning)
    code = _grid_shows_the_certificate_and_exports(staff, returning)
    _reports_and_their_csv(staff, cohort_name)
    staff.log_out()

    _administrator_revokes(staff, seed.staff("admin"), returning, code)
    _public_page_shows_the_revocation(staff, code)


def _first_login_turns_on_two_step_verification(staff, trainer):
    staff.log_in(trainer)
    staff.follow("Cohorts", in_header=True)
    expect(heading(staff.page)).to_have_text("Turn on two-step verification")
    expect(staff.main).to_contain_text("Your role requires two-step verification")
    staff.press("I have an app: show the code to scan")
    expect(staff.main.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    manual_key = staff.page.locator("#manual-key").inner_text()
    staff.fill("Code from the app", authenticator_code(manual_key))
    staff.press("Turn on two-step verification")
    expect(heading(staff.page)).to_have_text("Your recovery codes")
    expect(staff.main.locator("ol li")).to_have_count(10)
    staff.follow("I have saved my codes, continue")
    expect(heading(staff.page)).to_have_text("My cohorts")


def _create_an_in_person_cohort(staff):
    staff.follow("New cohort")
    staff.press("Save cohort")  # nothing filled in: the form says what is missing and saves nothing
    expect(staff.page.get_by_role("alert")).to_be_visible()
    name = "Pine County probation academy, spring"
    staff.page.get_by_label("Curriculum", exact=True).select_option(label="Fixture Course")
    staff.fill("Cohort name", name)
    staff.fill("Location", "Pine County Justice Center")
    staff.page.get_by_label("In person", exact=True).check()
    staff.fill("Day 1 date", "2027-03-02")
    staff.fill("Day 2 date", "2027-03-03")
    staff.press("Save cohort")
    expect(heading(staff.page)).to_have_text(name)
    expect(staff.main).to_contain_text("0 learners")
    return name


ROSTER = """name,email,track,agency,discipline
{returning_name},{returning_email},introductory,County Probation,probation
Dana Whitehorse,dana.whitehorse@example.org,advanced,Tribal Police,law enforcement
Nobody,not-an-email,introductory,Somewhere,probation
"""


def _import_a_roster(staff, returning):
    staff.follow("Roster: add learners or import a CSV")
    roster = ROSTER.format(returning_name=returning.name, returning_email=returning.email)
    staff.page.get_by_label("Roster CSV file", exact=True).set_input_files(
        files=[{"name": "roster.csv", "mimeType": "text/csv", "buffer": roster.encode()}])
    staff.press("Import roster")
    expect(heading(staff.page)).to_have_text("Roster import")
    expect(staff.page.get_by_role("status")).to_contain_text(
        "2 enrolled (1 new account invited), 0 already in the cohort, 1 row with problems")
    problems = staff.main.get_by_role("table", name="Rows with problems")
    expect(problems).to_contain_text("4")  # the file's row number, header included
    expect(problems).to_contain_text("not-an-email")
    expect(staff.main.get_by_role("table", name="Invitation links")).to_contain_text("dana.whitehorse@example.org")
    staff.follow("Back to the roster")
    expect(staff.main.get_by_role("table")).to_contain_text(returning.name)
    expect(staff.main.get_by_role("table")).to_contain_text("Dana Whitehorse")


def _learners_work_and_trainer_marks_attendance(staff, seed, trainer, returning):
    """In person, a day counts only with attendance: the learner finishes Day 1's work, the trainer
    marks Day 1; then Day 2's work and Day 2's attendance; then the post-test."""
    seed.take(returning, "pretest")
    seed.finish_day_one(returning)
    _mark_present(staff, 1, returning)
    seed.finish_module(returning, "practice")
    _mark_present(staff, 2, returning)
    seed.take(returning, "posttest")


def _mark_present(staff, day, learner):
    staff.follow(staff.page.locator("nav[aria-label=Breadcrumb] li").last.inner_text())
    staff.follow(f"Attendance, Day {day}")
    expect(heading(staff.page)).to_have_text(f"Attendance, Day {day}")
    staff.page.get_by_label(re.compile(re.escape(learner.name))).check()
    staff.press("Save attendance")
    expect(staff.page.get_by_label(re.compile(re.escape(learner.name)))).to_be_checked()
    expect(staff.main.get_by_text(f"{learner.name} (present)")).to_be_visible()
    expect(staff.main.get_by_text("Dana Whitehorse (absent)")).to_be_visible()


def _grid_shows_the_certificate_and_exports(staff, returning):
    staff.follow(staff.page.locator("nav[aria-label=Breadcrumb] li").last.inner_text())
    staff.follow("Progress grid")
    grid = staff.main.get_by_role("table")
    row = grid.get_by_role("row").filter(has_text=returning.name)
    expect(row).to_contain_text("100%")
    code = re.search(r"CASOM(-[0-9A-Z]{4}){3}", row.inner_text()).group(0)
    staff.page.get_by_label("Status", exact=True).select_option(label="Not started")
    staff.press("Apply")
    expect(staff.main.get_by_role("status")).to_contain_text(re.compile(r"1 matching learners?, 2 in the cohort"))
    expect(grid).to_contain_text("Dana Whitehorse")
    expect(grid).not_to_contain_text(returning.name)
    exported = list(csv.DictReader(io.StringIO(staff.download())))
    assert [record["name"] for record in exported] == ["Dana Whitehorse"], "the CSV keeps the filter"
    staff.page.get_by_label("Status", exact=True).select_option(label="Any status")
    staff.press("Apply")
    exported = {record["name"]: record for record in csv.DictReader(io.StringIO(staff.download()))}
    assert exported[returning.name]["certificate"] == code and exported[returning.name]["percent"] == "100"
    staff.follow(returning.name)
    expect(staff.main).to_contain_text(returning.email)
    return code


def _reports_and_their_csv(staff, cohort_name):
    for link, title in [("Completion summary", "Completion"), ("Knowledge gain (pre/post)", "Knowledge gain"),
                        ("Quiz item analysis", "Item analysis")]:
        staff.follow(cohort_name)
        staff.follow(link)
        expect(heading(staff.page)).to_contain_text(title)
        expect(staff.main.get_by_role("table").first).to_be_visible()
    exported = list(csv.reader(io.StringIO(staff.download())))
    assert len(exported) > 1 and exported[0], "the item analysis CSV has a header and rows"
    staff.follow(cohort_name)
    staff.follow("Training evaluation (anonymous survey)")
    expect(staff.main).to_contain_text("Nothing else is shown until at least 5 responses")


def _administrator_revokes(staff, admin, learner, code):
    staff.log_in(admin)
    expect(heading(staff.page)).to_have_text("Two-step verification")
    staff.fill("Verification code", admin.current_code())
    staff.press("Verify")
    staff.follow("Certificates", in_header=True)
    staff.fill("Code or name", learner.name)
    staff.press("Search")
    staff.follow(code)
    expect(staff.main).to_contain_text("Valid")
    staff.page.get_by_label("Reason", exact=True).select_option(value="issued_in_error")
    staff.fill("Note for the record (not shown publicly)", "Attendance sheet entered for the wrong person.")
    staff.press("Revoke certificate")
    expect(staff.main).to_contain_text("Revoked")
    staff.log_out()


def _public_page_shows_the_revocation(staff, code):
    staff.page.goto("/verify")
    staff.fill("Certificate code", code.lower().replace("-", " "))
    staff.press("Check certificate")
    expect(heading(staff.page)).to_contain_text("revoked")
    expect(staff.main).to_contain_text("Issued in error")
    expect(staff.main).not_to_contain_text("Attendance sheet entered for the wrong person")

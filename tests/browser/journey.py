"""The newcomer's journey through the fixture curriculum, written once and driven three ways: with
the mouse, with the keyboard only, and with JavaScript off. A driver knows how to follow a link,
press a button, fill a field, choose an option and answer a quiz; the journey knows what to do."""

import re
import uuid
from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.browser.helpers import focused, is_button, is_field, is_link, is_option, press, tab_to
from tests.conftest import PASSWORD

ATTEMPT_PATH = re.compile(r"/attempts/(\d+)$")


class MouseDriver:
    """Clicks, as most people do; also the driver for the JavaScript-off journey."""

    def __init__(self, page, seed):
        self.page = page
        self.seed = seed

    def goto(self, path):
        self.page.goto(path)

    def follow(self, name, in_header=False):
        area = self.page.locator("header") if in_header else self.page.locator("main")
        with self.page.expect_navigation():
            area.get_by_role("link", name=name).first.click()

    def press(self, name, in_header=False):
        area = self.page.locator("header") if in_header else self.page.locator("main")
        with self.page.expect_navigation():
            area.get_by_role("button", name=name).first.click()

    def fill(self, label, text):
        self.page.get_by_label(label, exact=True).fill(text)

    def choose(self, name, value):
        option = self.page.locator(f"input[name='{name}'][value='{value}']")
        option.check()
        expect(option).to_be_checked()

    def answer_quiz(self, right=True):
        """Answer every drawn question right (or wrong) and submit for grading."""
        for position, choices in self.seed.answer_key(attempt_id(self.page), right).items():
            for choice in choices:
                self.choose(f"q{position}", choice)
        self.press("Submit answers for grading")


class KeyboardDriver:
    """Tab, Shift+Tab, Space, Enter and the arrow keys only, never the mouse; at every stop the
    focused element must show its focus. On each new page it takes the skip link to <main> first,
    and reaches the header's links from there with Shift+Tab."""

    def __init__(self, page, seed):
        self.page = page
        self.seed = seed

    def goto(self, path):
        self.page.goto(path)
        self._skip_to_main()

    def _skip_to_main(self):
        if urlsplit(self.page.url).fragment == "content":
            # Redirects keep the fragment of the address they answer, so after a form on a page
            # reached by the skip link the browser itself puts focus on <main>, the fragment's target.
            self.page.wait_for_function("() => document.activeElement.tagName === 'MAIN'")
            return
        tab_to(self.page, is_link("Skip to main content"), max_presses=1)
        self.page.keyboard.press("Enter")
        active = self.page.evaluate("() => document.activeElement.tagName.toLowerCase()")
        assert active == "main", f"the skip link left focus on <{active}> on {self.page.url}"

    def _activate(self, key):
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self._skip_to_main()

    def follow(self, name, in_header=False):
        tab_to(self.page, is_link(name), backwards=in_header)
        self._activate("Enter")

    def press(self, name, in_header=False):
        tab_to(self.page, is_button(name), backwards=in_header)
        self._activate("Space")

    def fill(self, label, text):
        tab_to(self.page, is_field(label))
        self.page.keyboard.type(text)

    def choose(self, name, value, options=4):
        """Tab into the radio group, then move with the arrow keys to `value` and select it."""
        focus = tab_to(self.page, is_option(name))
        for _ in range(options):
            if focus.value == value:
                break
            focus = press(self.page, "ArrowDown")
        assert focus.value == value, f"the arrow keys never reached option {value} of {name}"
        self.page.keyboard.press("Space")
        assert focused(self.page).checked, f"Space did not select option {value} of {name}"

    def tick(self, name, values):
        """Walk the group's checkboxes with Tab and tick those in `values` with Space."""
        focus = tab_to(self.page, is_option(name))
        while focus.name == name:
            if (focus.value in values) != focus.checked:
                self.page.keyboard.press("Space")
                focus = focused(self.page)
                assert focus.checked == (focus.value in values), f"Space did not toggle {focus}"
            focus = press(self.page, "Tab")
        ticked = self.page.locator(f"input[name='{name}']:checked").evaluate_all("els => els.map(e => e.value)")
        assert sorted(ticked) == sorted(values), f"{name}: ticked {ticked}, wanted {values}"

    def answer_quiz(self, right=True):
        for position, choices in self.seed.answer_key(attempt_id(self.page), right).items():
            name = f"q{position}"
            if self.page.locator(f"input[name='{name}']").first.get_attribute("type") == "checkbox":
                self.tick(name, choices)
            else:
                self.choose(name, choices[0])
        self.press("Submit answers for grading")


def attempt_id(page):
    match = ATTEMPT_PATH.search(urlsplit(page.url).path)
    assert match, f"not on an attempt page: {page.url}"
    return int(match.group(1))


def heading(page):
    return page.get_by_role("heading", level=1)


def complete_introductory_track(driver):
    """Register, enroll on the introductory track, take the pre-test, read and pass Day 1 and
    Day 2 (failing one quiz first), pass the post-test, see it on My training, log out."""
    page = driver.page
    name = "Nora Newcomer"
    email = f"nora-{uuid.uuid4().hex[:8]}@example.org"

    driver.goto("/")
    driver.follow("Create account", in_header=True)
    expect(heading(page)).to_have_text("Create your account")
    driver.fill("Full name (as it should appear on your certificate)", name)
    driver.fill("Email", email)
    driver.fill("Password", PASSWORD)
    driver.fill("Repeat password", PASSWORD)
    driver.fill("Agency", "Fixture County Probation")
    driver.fill("Discipline", "probation")
    driver.fill("Jurisdiction (state, county or tribe)", "Fixture County")
    driver.press("Create account")
    expect(page.get_by_role("status")).to_contain_text("Your account is ready")

    driver.follow("View and enroll")
    expect(heading(page)).to_have_text("Fixture Course")
    driver.choose("track", "advanced")  # a look at the other track first: the arrow keys move between them
    driver.choose("track", "introductory")
    driver.press("Enroll")
    expect(page.get_by_role("status")).to_contain_text("You are enrolled in Fixture Course")
    expect(page.locator("main")).to_contain_text("Day 2 opens when Day 1 is complete")

    driver.follow("Take the pre-test")
    driver.press("Start the pre-test")
    driver.answer_quiz(right=True)
    expect(heading(page)).to_have_text("Pre-test: results of attempt 1")

    driver.follow("Continue: Module basics")
    read_module(driver, "basics")
    driver.press("Start the quiz")
    driver.answer_quiz(right=False)
    expect(page.locator("main")).to_contain_text("Not passed")
    driver.follow("Try again")
    driver.press("Start attempt 2")
    driver.answer_quiz(right=True)
    expect(page.locator("main")).to_contain_text("Passed")

    driver.follow("Continue: Module newcomers")
    read_module(driver, "newcomers")
    driver.press("Start the quiz")
    driver.answer_quiz(right=True)
    expect(page.locator("main")).to_contain_text("Passed")

    driver.follow("Continue: Module practice")  # Day 2 is open now that Day 1 is complete
    read_module(driver, "practice")
    driver.press("Start the quiz")
    driver.answer_quiz(right=True)

    driver.follow("Continue: Take the post-test")
    driver.press("Start the post-test")
    driver.answer_quiz(right=True)
    expect(page.locator("main")).to_contain_text("Passed")
    driver.follow("Continue: Curriculum complete")
    expect(page.locator("main")).to_contain_text("You completed this curriculum")

    # The certificate issued at completion; extend here as certificates grow (downloads, badge).
    driver.follow("View your certificate")
    expect(heading(page)).to_have_text("Certificate of Completion")
    expect(page.locator("main")).to_contain_text(name)

    driver.follow("My training", in_header=True)
    expect(heading(page)).to_have_text("My training")
    expect(page.locator("main")).to_contain_text("You completed this curriculum")
    expect(page.locator("main")).to_contain_text("100% complete")

    driver.press("Log out", in_header=True)
    expect(page.get_by_role("status")).to_contain_text("You have been logged out")
    expect(page.locator("header").get_by_role("link", name="Log in")).to_be_visible()
    return email


def read_module(driver, module_key):
    """Read both lessons with "Mark as read and continue"; the second lands on the module's quiz."""
    page = driver.page
    for lesson in ("First", "Second"):
        expect(heading(page)).to_have_text(f"{lesson} lesson of {module_key}")
        driver.press("Mark as read and continue")
    expect(heading(page)).to_have_text(f"Quiz: Module {module_key}")

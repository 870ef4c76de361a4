"""A newcomer completes the introductory track in a real browser: with the mouse, with the keyboard
only, and with JavaScript turned off (issue 8)."""

import pytest

from tests.browser.journey import KeyboardDriver, MouseDriver, complete_introductory_track

pytestmark = pytest.mark.browser


def test_newcomer_completes_the_introductory_track(page, site):
    complete_introductory_track(MouseDriver(page, site.seed))


def test_newcomer_completes_the_track_with_the_keyboard_only(page, site):
    complete_introductory_track(KeyboardDriver(page, site.seed))


def test_newcomer_completes_the_track_with_javascript_off(open_page, site):
    page = open_page(javascript=False)
    complete_introductory_track(MouseDriver(page, site.seed))

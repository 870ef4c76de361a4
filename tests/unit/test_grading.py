import random
from datetime import datetime, timedelta

import pytest

from lms.quizzes import grading


@pytest.mark.parametrize("question_type", ["single", "true_false"])
def test_single_answer_is_all_or_nothing(question_type):
    assert grading.grade_question(question_type, {1}, {1}).score == 1.0
    assert grading.grade_question(question_type, {1}, {2}).score == 0.0
    assert grading.grade_question(question_type, {1}, set()).score == 0.0
    assert grading.grade_question(question_type, {1}, {1, 2}).score == 0.0


def test_multiple_response_all_or_nothing_by_default():
    assert grading.grade_question("multiple", {1, 2}, {1, 2}) == grading.QuestionResult(1.0, True)
    assert grading.grade_question("multiple", {1, 2}, {1}).score == 0.0
    assert grading.grade_question("multiple", {1, 2}, {1, 2, 3}).score == 0.0


def test_multiple_response_partial_credit_is_right_minus_wrong_floored_at_zero():
    correct = {1, 2, 3, 4}
    assert grading.grade_question("multiple", correct, {1, 2}, partial_credit=True).score == 0.5
    assert grading.grade_question("multiple", correct, {1, 2, 3, 9}, partial_credit=True).score == 0.5
    assert grading.grade_question("multiple", correct, {1, 8, 9}, partial_credit=True).score == 0.0
    result = grading.grade_question("multiple", correct, {1, 2, 3, 4}, partial_credit=True)
    assert result == grading.QuestionResult(1.0, True)


def test_percent_and_pass_mark():
    assert grading.percent([1, 1, 0, 0.5]) == 62.5
    assert grading.percent([1, 1, 0]) == 66.67
    assert grading.is_pass(80, 80) and not grading.is_pass(79.99, 80)
    assert not grading.is_pass(100, None)


def test_draw_prefers_least_seen_and_never_repeats():
    bank = list(range(1, 11))
    seen = dict.fromkeys(range(1, 9), 1)  # 9 and 10 never seen
    for seed in range(50):
        picked = grading.draw_questions(bank, seen, 4, random.Random(seed))
        assert len(picked) == len(set(picked)) == 4
        assert {9, 10} <= set(picked)


def test_draw_of_none_takes_the_whole_bank_shuffled():
    picked = grading.draw_questions([1, 2, 3, 4, 5], {}, None, random.Random(3))
    assert sorted(picked) == [1, 2, 3, 4, 5]


def test_draw_rotates_through_the_bank_across_attempts():
    bank, seen, rng = list(range(12)), {}, random.Random(7)
    first = grading.draw_questions(bank, seen, 6, rng)
    for question in first:
        seen[question] = seen.get(question, 0) + 1
    second = grading.draw_questions(bank, seen, 6, rng)
    assert not set(first) & set(second)


def test_deadline_applies_accommodation_and_grace():
    start = datetime(2026, 1, 1, 9, 0)
    due = grading.deadline(start, 20, accommodation=1.5)
    assert due == start + timedelta(minutes=30)
    assert grading.deadline(start, None) is None
    assert not grading.is_late(due + timedelta(seconds=60), due)
    assert grading.is_late(due + timedelta(seconds=61), due)
    assert not grading.is_late(start + timedelta(days=3), None)


def test_answers_revealed_after_pass_or_last_attempt():
    assert grading.may_reveal_answers(True, 1, 3, attempt_open=False)
    assert not grading.may_reveal_answers(False, 2, 3, attempt_open=False)
    assert grading.may_reveal_answers(False, 3, 3, attempt_open=False)
    assert not grading.may_reveal_answers(False, 10, None, attempt_open=False)
    assert grading.attempts_allowed(3, 1) == 4 and grading.attempts_allowed(None, 2) is None


def test_answers_stay_hidden_while_an_attempt_is_open():
    assert not grading.may_reveal_answers(False, 2, 3, attempt_open=True)  # the last attempt, started
    assert not grading.may_reveal_answers(True, 1, 3, attempt_open=True)  # a retake after a pass


def test_a_granted_attempt_hides_the_answers_until_it_is_submitted():
    allowed = grading.attempts_allowed(3, 1)
    assert not grading.may_reveal_answers(False, 3, allowed, attempt_open=False)
    assert grading.may_reveal_answers(False, 4, allowed, attempt_open=False)

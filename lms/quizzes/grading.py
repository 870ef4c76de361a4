"""Grading, pure: a registry of question types, each a small class that scores one answer.

Grading never sees a request; it takes the answer key and the learner's selection as plain sets.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

GRACE = timedelta(seconds=60)


@dataclass(frozen=True)
class QuestionResult:
    score: float        # 0.0-1.0
    correct: bool


class SingleAnswer:
    """One right choice: all or nothing (also true/false)."""

    def grade(self, correct_ids, selected_ids, partial_credit=False):
        ok = len(selected_ids) == 1 and set(selected_ids) == set(correct_ids)
        return QuestionResult(1.0 if ok else 0.0, ok)


class MultipleResponse:
    """Several right choices: all or nothing, or right minus wrong (floored at zero) with partial credit."""

    def grade(self, correct_ids, selected_ids, partial_credit=False):
        correct, selected = set(correct_ids), set(selected_ids)
        exact = selected == correct
        if exact or not partial_credit:
            return QuestionResult(1.0 if exact else 0.0, exact)
        right, wrong = len(selected & correct), len(selected - correct)
        return QuestionResult(max(0.0, (right - wrong) / len(correct)), False)


GRADERS = {"single": SingleAnswer(), "true_false": SingleAnswer(), "multiple": MultipleResponse()}


def grade_question(question_type, correct_ids, selected_ids, partial_credit=False):
    return GRADERS[question_type].grade(frozenset(correct_ids), frozenset(selected_ids), partial_credit)


def percent(scores):
    """Attempt score in percent (two decimals) from per-question scores."""
    if not scores:
        return 0.0
    return round(100 * sum(scores) / len(scores), 2)


def is_pass(score, pass_mark):
    return pass_mark is not None and score >= pass_mark


def draw_questions(bank_ids, times_seen, count, rng=random):
    """Pick `count` distinct questions, least seen by this learner first, ties broken at random."""
    shuffled = list(bank_ids)
    rng.shuffle(shuffled)
    ordered = sorted(shuffled, key=lambda question_id: times_seen.get(question_id, 0))
    picked = ordered[: count or len(ordered)]
    rng.shuffle(picked)
    return picked


def shuffled(items, rng=random):
    items = list(items)
    rng.shuffle(items)
    return items


def deadline(started_at, time_limit_minutes, accommodation=1.0):
    """When a timed attempt is due: the limit stretched by the learner's accommodation factor."""
    if not time_limit_minutes:
        return None
    return started_at + timedelta(minutes=time_limit_minutes * max(accommodation, 1.0))


def is_late(submitted_at, due):
    """Late only past the deadline plus a grace period for slow networks."""
    return due is not None and submitted_at > due + GRACE


def attempts_allowed(max_attempts, extra_granted):
    return None if max_attempts is None else max_attempts + extra_granted


def may_reveal_answers(passed, submitted, allowed, attempt_open):
    """Correct answers are shown after a pass or once the last allowed attempt is submitted, and
    never while an attempt is open: its questions may be the very ones the answers would give away."""
    if attempt_open:
        return False
    return passed or (allowed is not None and submitted >= allowed)

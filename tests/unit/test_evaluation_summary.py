"""The evaluation summary's arithmetic, its suppression rule and the offer rule (pure)."""

import pytest

from lms.evaluations.offers import NO_EVALUATION, EvaluationState, Offer
from lms.evaluations.summary import MIN_RESPONSES, RETIRED_SECTION, ItemRef, QuestionRef, summarize

ITEMS = [ItemRef(1, "a", "Relevant", "Day 1", 1, False), ItemRef(2, "b", "Clear", "Day 1", 2, False),
         ItemRef(3, "c", "Apply", "Basics", 3, False), ItemRef(4, "old", "Old item", "Day 1", 1, True),
         ItemRef(5, "gone", "Never rated, retired", "Day 1", 9, True)]
QUESTIONS = [QuestionRef(10, "most", "Most useful?", 1, False), QuestionRef(11, "least", "Least useful?", 2, False),
             QuestionRef(12, "old-q", "Retired, unanswered", 3, True)]


def test_counts_mean_and_share_agreeing_worked_by_hand():
    # item 1 rated 5, 4, 4, 2, blank: mean (5+4+4+2)/4 = 3.75; agreeing 3 of 4 = 75%
    # item 2 rated 3 five times: mean 3, agreeing 0%; item 3 all blank: no mean, no share
    # item 4 is retired but was rated (1 and 5): shown under the retired heading
    counts = [(1, 5, 1), (1, 4, 2), (1, 2, 1), (1, None, 1), (2, 3, 5), (3, None, 5), (4, 1, 1), (4, 5, 1)]
    comments = [(10, "zebra crossing"), (10, "Apple"), (10, "banana"), (11, "Only one")]
    summary = summarize(7, 5, 10, ITEMS, QUESTIONS, counts, comments)
    assert summary.released and summary.response_rate == 70 and summary.held_back == 2
    assert [s.title for s in summary.sections] == ["Day 1", "Basics", RETIRED_SECTION]
    first, second = summary.sections[0].items
    assert first.counts == (0, 1, 0, 2, 1) and first.no_answer == 1 and first.answered == 4
    assert first.mean == 3.75 and first.percent_agreeing == 75
    assert second.mean == 3 and second.percent_agreeing == 0
    blank = summary.sections[1].items[0]
    assert blank.answered == 0 and blank.no_answer == 5 and blank.mean is None and blank.percent_agreeing is None
    retired = summary.sections[2].items[0]
    assert retired.item.key == "old" and retired.mean == 3 and retired.percent_agreeing == 50
    assert [(c.question.key, c.answers) for c in summary.comments] == [
        ("most", ("Apple", "banana", "zebra crossing")), ("least", ("Only one",))]


@pytest.mark.parametrize("included", range(MIN_RESPONSES))
def test_fewer_than_five_included_responses_give_the_count_only(included):
    summary = summarize(12, included, 20, ITEMS, QUESTIONS, [(1, 5, included)], [(10, "secret")])
    assert not summary.released
    assert summary.responses == 12 and summary.sections == () and summary.comments == ()
    assert summary.eligible == 0 and summary.included == 0


def test_no_eligible_learners_means_no_rate():
    assert summarize(5, 5, 0, ITEMS, QUESTIONS, [], []).response_rate is None


def test_the_offer_follows_the_post_test_and_the_receipt():
    assert NO_EVALUATION.offer(posttest_passed=True) == Offer.NONE
    fresh = EvaluationState(exists=True)
    assert fresh.offer(posttest_passed=False) == Offer.NONE
    assert fresh.offer(posttest_passed=True) == Offer.PROMPT
    assert EvaluationState(exists=True, declined=True).offer(True) == Offer.AVAILABLE
    assert EvaluationState(exists=True, declined=True, submitted=True).offer(True) == Offer.SUBMITTED

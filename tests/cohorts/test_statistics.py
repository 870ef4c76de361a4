"""The report statistics, pure: every expected number is worked out by hand in a comment."""

import pytest

from lms.cohorts import statistics as st

# Five learners, three items, everyone saw every item:
#   learner  i1 i2 i3  total
#   L1        1  1  1    3
#   L2        1  1  0    2
#   L3        1  0  0    1
#   L4        0  1  0    1
#   L5        0  0  0    0
FULL = {
    "L1": {"i1": 1.0, "i2": 1.0, "i3": 1.0},
    "L2": {"i1": 1.0, "i2": 1.0, "i3": 0.0},
    "L3": {"i1": 1.0, "i2": 0.0, "i3": 0.0},
    "L4": {"i1": 0.0, "i2": 1.0, "i3": 0.0},
    "L5": {"i1": 0.0, "i2": 0.0, "i3": 0.0},
}


def test_pearson_is_undefined_without_spread_or_pairs():
    assert st.pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert st.pearson([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert st.pearson([1, 1, 1], [1, 2, 3]) is None
    assert st.pearson([1], [1]) is None
    with pytest.raises(ValueError):
        st.pearson([1, 2], [1])


def test_facility_and_item_rest_discrimination_by_hand():
    stats = st.item_statistics(FULL)
    # Facility: mean item score. i1 3/5, i2 3/5, i3 1/5.
    assert [stats[i].facility for i in ("i1", "i2", "i3")] == pytest.approx([0.6, 0.6, 0.2])
    assert all(stats[i].attempts == 5 for i in ("i1", "i2", "i3"))
    # i1 against the rest (i2 + i3): x = 1,1,1,0,0 (mean .6); r = 2,1,0,1,0 (mean .8)
    #   dx = .4,.4,.4,-.6,-.6   dr = 1.2,.2,-.8,.2,-.8
    #   Sxy = .48+.08-.32-.12+.48 = .6; Sxx = 1.2; Syy = 1.44+.04+.64+.04+.64 = 2.8
    #   r = .6 / sqrt(1.2 * 2.8) = .6 / sqrt(3.36) = 0.32733
    assert stats["i1"].discrimination == pytest.approx(0.6 / 3.36 ** 0.5)
    # i2 against i1 + i3: x = 1,1,0,1,0; r = 2,1,1,0,0 -> Sxy .6, Sxx 1.2, Syy 2.8 -> same 0.32733
    assert stats["i2"].discrimination == pytest.approx(0.32733, abs=1e-5)
    # i3 against i1 + i2: x = 1,0,0,0,0 (mean .2); r = 2,2,1,1,0 (mean 1.2)
    #   dx = .8,-.2,-.2,-.2,-.2   dr = .8,.8,-.2,-.2,-1.2
    #   Sxy = .64-.16+.04+.04+.24 = .8; Sxx = .8; Syy = .64+.64+.04+.04+1.44 = 2.8
    #   r = .8 / sqrt(2.24) = 0.53452
    assert stats["i3"].discrimination == pytest.approx(0.53452, abs=1e-5)
    assert stats["i3"].flags == ("Very hard: facility below 0.30",)
    assert stats["i1"].flags == ()


def test_rest_score_is_over_the_items_each_learner_saw():
    # A drawn quiz: A saw three items, B and C two each. For item x the rest score is the mean of
    # the learner's other items: A (1+0)/2 = .5, B 1/1 = 1, C 0/1 = 0; x = 1, 0, 1.
    #   x mean 2/3, r mean .5: dx = 1/3,-2/3,1/3; dr = 0,.5,-.5
    #   Sxy = 0 - 1/3 - 1/6 = -.5; Sxx = 2/3; Syy = .5 -> r = -.5 / sqrt(1/3) = -0.86603
    sheets = {"A": {"x": 1.0, "y": 1.0, "z": 0.0}, "B": {"x": 0.0, "y": 1.0}, "C": {"x": 1.0, "z": 0.0}}
    stats = st.item_statistics(sheets)
    assert stats["x"].discrimination == pytest.approx(-0.86603, abs=1e-5)
    assert stats["x"].flags == ("Negative discrimination: check the answer key",)
    # y: seen by A and B only, both right: no spread, so discrimination is undefined, not 0
    assert stats["y"].facility == 1.0 and stats["y"].discrimination is None
    assert stats["y"].flags == ("Very easy: facility above 0.95",)


def test_a_learner_who_saw_one_item_counts_for_facility_only():
    stats = st.item_statistics({"A": {"x": 1.0}, "B": {"x": 0.0, "y": 1.0}, "C": {"x": 1.0, "y": 0.0}})
    assert stats["x"].attempts == 3 and stats["x"].facility == pytest.approx(2 / 3)
    # only B and C have a rest score: x = 0, 1 against y = 1, 0 -> -1
    assert stats["x"].discrimination == pytest.approx(-1.0)


def test_flags_are_text():
    assert st.item_flags(0.29, 0.5) == ("Very hard: facility below 0.30",)
    assert st.item_flags(0.30, 0.20) == ()
    assert st.item_flags(0.96, 0.19) == ("Very easy: facility above 0.95", "Low discrimination: below 0.20")
    assert st.item_flags(0.5, -0.1) == ("Negative discrimination: check the answer key",)
    assert st.item_flags(None, None) == ()


def test_most_chosen_wrong_choice():
    correct = {1}
    assert st.most_chosen_wrong_choice([[1], [2], [3], [3]], correct, order=[1, 2, 3]) == (3, 2)
    # ties go to the choice listed first
    assert st.most_chosen_wrong_choice([[3], [2]], correct, order=[1, 2, 3]) == (2, 1)
    # a multiple-response answer counts once for each wrong choice it includes
    assert st.most_chosen_wrong_choice([[1, 4], [4, 5], [5]], {1, 2}, order=[1, 2, 4, 5]) == (4, 2)
    assert st.most_chosen_wrong_choice([[1], []], correct) is None


def test_cronbach_alpha_by_hand():
    # FULL as a matrix. Item variances (p(1-p)): .24, .24, .16 -> sum .64.
    # Totals 3,2,1,1,0: mean 1.4, squared deviations 2.56+.36+.16+.16+1.96 = 5.2, variance 1.04.
    # alpha = 3/2 * (1 - .64/1.04) = 1.5 * .4/1.04 = 15/26 = 0.57692
    matrix = [[row[i] for i in ("i1", "i2", "i3")] for row in FULL.values()]
    assert st.cronbach_alpha(matrix) == pytest.approx(15 / 26)
    assert st.cronbach_alpha([[1, 1], [1, 1]]) is None          # no spread in totals
    assert st.cronbach_alpha([[1], [0]]) is None                # one item
    with pytest.raises(ValueError):
        st.cronbach_alpha([[1, 0], [1]])


def test_alpha_needs_ten_learners_sharing_an_item_set():
    few = st.alpha_over_shared_items(FULL)
    assert few.value is None and few.reason == "Not reported: fewer than 10 first attempts (5 so far)."
    # FULL twice over (10 learners, same items): variances are unchanged by duplication -> 15/26
    ten = {f"{name}{copy}": sheet for name, sheet in FULL.items() for copy in (1, 2)}
    result = st.alpha_over_shared_items(ten)
    assert result.value == pytest.approx(15 / 26) and (result.learners, result.items) == (10, 3)


def test_alpha_uses_only_the_most_common_item_set():
    shared = {f"{name}{copy}": sheet for name, sheet in FULL.items() for copy in (1, 2)}
    # three more learners drawn a different set do not enter the matrix
    others = {f"X{n}": {"i1": 1.0, "i4": float(n % 2)} for n in range(3)}
    result = st.alpha_over_shared_items(shared | others)
    assert result.value == pytest.approx(15 / 26) and result.learners == 10


def test_alpha_is_withheld_when_draws_overlap_too_little():
    # 12 first attempts, but drawn so that no more than 4 learners saw the same pair of items
    sets = [("a", "b"), ("a", "c"), ("b", "c")]
    sheets = {n: dict.fromkeys(sets[n % 3], float(n % 2)) for n in range(12)}
    result = st.alpha_over_shared_items(sheets)
    assert result.value is None and result.learners == 4
    assert result.reason.startswith("Not enough overlapping attempts")


def test_gain_summary_by_hand():
    # pre, post: (50,100) (0,50) (100,100) (50,50) (25,75)
    # mean pre 225/5 = 45; mean post 375/5 = 75; mean gain 30; g = 30 / (100 - 45) = 0.54545
    # individual g: 50/50 = 1, 50/100 = .5, (pre 100: left out), 0/50 = 0, 50/75 = .66667
    #   mean over 4 = 2.16667 / 4 = 0.54167
    # improved: 3 of 5
    summary = st.gain_summary([(50, 100), (0, 50), (100, 100), (50, 50), (25, 75)])
    assert (summary.paired, summary.mean_pre, summary.mean_post, summary.mean_gain) == (5, 45, 75, 30)
    assert summary.normalized_gain == pytest.approx(30 / 55)
    assert summary.mean_individual_gain == pytest.approx((1 + 0.5 + 0 + 2 / 3) / 4)
    assert summary.individual_gain_learners == 4
    assert summary.improved == 3 and summary.share_improved == pytest.approx(0.6)


def test_gain_summary_edges():
    empty = st.gain_summary([])
    assert empty.paired == 0 and empty.mean_pre is None and empty.share_improved is None
    perfect = st.gain_summary([(100, 100)])
    assert perfect.normalized_gain is None and perfect.mean_individual_gain is None
    assert st.individual_normalized_gain(60, 40) == pytest.approx(-0.5)


def test_objective_means():
    means = st.objective_means([("o1", "pre", 1.0), ("o1", "pre", 0.0), ("o1", "post", 1.0),
                                ("o2", "post", 0.5), ("o2", "post", None)])
    assert (means["o1"].pre, means["o1"].post, means["o1"].gain) == (50.0, 100.0, 50.0)
    assert (means["o1"].pre_answers, means["o1"].post_answers) == (2, 1)
    assert means["o2"].pre is None and means["o2"].post == 25.0 and means["o2"].gain is None


def test_percent_bands():
    bands = st.percent_bands([0, 19, 20, 55, 79, 80, 100])
    assert [(b.low, b.high, b.count) for b in bands] == [(0, 19, 2), (20, 39, 1), (40, 59, 1), (60, 79, 1),
                                                         (80, 100, 2)]
    assert bands[0].label == "0 to 19%" and bands[-1].label == "80 to 100%"

"""Test statistics for cohort reports, pure: plain numbers in, plain numbers out (no Flask, no DB).

Item analysis follows Moodle's quiz statistics on first attempts: facility is the mean item score,
discrimination the item-rest correlation. Knowledge gain follows Hake's normalized gain.
Definitions, thresholds and their reasons are in docs/trainers-reports.md.
"""

from collections import Counter
from dataclasses import dataclass
from math import sqrt

#: an item answered correctly by fewer than 30% of first attempts is very hard
LOW_FACILITY = 0.30
#: an item answered correctly by more than 95% of first attempts tells nobody apart
HIGH_FACILITY = 0.95
#: below this item-rest correlation an item separates stronger and weaker learners poorly
LOW_DISCRIMINATION = 0.20
#: coefficient alpha is reported only over at least this many learners who saw the same items
MIN_ALPHA_LEARNERS = 10
#: width of a band in the progress distribution, in percentage points
BAND_WIDTH = 20


def mean(values):
    """The arithmetic mean, or None for no values."""
    values = list(values)
    return sum(values) / len(values) if values else None


def pearson(xs, ys):
    """Pearson's correlation of two equally long sequences; None when fewer than two pairs or
    either side does not vary (the correlation is undefined then, not zero)."""
    xs, ys = list(xs), list(ys)
    if len(xs) != len(ys):
        raise ValueError("pearson() needs two sequences of the same length")
    if len(xs) < 2:
        return None
    mean_x, mean_y = mean(xs), mean(ys)
    dx = [x - mean_x for x in xs]
    dy = [y - mean_y for y in ys]
    sxx = sum(d * d for d in dx)
    syy = sum(d * d for d in dy)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return sum(a * b for a, b in zip(dx, dy, strict=True)) / sqrt(sxx * syy)


def _population_variance(values):
    centre = mean(values)
    return sum((v - centre) ** 2 for v in values) / len(values)


# --- Item analysis ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ItemStatistics:
    question_id: object
    #: first attempts that included this item
    attempts: int
    #: mean item score, 0-1 (proportion correct for all-or-nothing items)
    facility: float | None
    #: item-rest correlation, -1..1; None when undefined (fewer than two learners, or no spread)
    discrimination: float | None
    flags: tuple[str, ...]


def item_flags(facility, discrimination):
    """Plain-language warnings for an item (text, so they never rely on colour)."""
    flags = []
    if facility is not None and facility < LOW_FACILITY:
        flags.append("Very hard: facility below 0.30")
    if facility is not None and facility > HIGH_FACILITY:
        flags.append("Very easy: facility above 0.95")
    if discrimination is not None and discrimination < 0:
        flags.append("Negative discrimination: check the answer key")
    elif discrimination is not None and discrimination < LOW_DISCRIMINATION:
        flags.append("Low discrimination: below 0.20")
    return tuple(flags)


def item_statistics(sheets):
    """Facility and item-rest discrimination of every item.

    `sheets` maps each learner (any hashable, e.g. an attempt id) to {item: score 0-1} for the
    items that learner was drawn. The rest score of a learner for an item is their mean score on
    the *other* items they saw, i.e. (total - item) / (items seen - 1): with every attempt the same
    length that is total-minus-item up to a constant, so the correlation is the same, and it stays
    fair when an attempt is shorter (a question retired mid-cohort). Learners who saw a single
    item have no rest score; they count for facility only.
    """
    scores, pairs = {}, {}
    for sheet in sheets.values():
        total, seen = sum(sheet.values()), len(sheet)
        for item, score in sheet.items():
            scores.setdefault(item, []).append(score)
            if seen > 1:
                pairs.setdefault(item, []).append((score, (total - score) / (seen - 1)))
    result = {}
    for item, item_scores in scores.items():
        item_pairs = pairs.get(item, [])
        facility = mean(item_scores)
        discrimination = pearson([p[0] for p in item_pairs], [p[1] for p in item_pairs])
        result[item] = ItemStatistics(item, len(item_scores), facility, discrimination,
                                      item_flags(facility, discrimination))
    return result


def most_chosen_wrong_choice(selections, correct_ids, order=()):
    """(choice id, times chosen) of the incorrect choice picked most often, or None.

    `selections` is one list of selected choice ids per answer. A multiple-response answer counts
    once for each wrong choice it includes. Ties go to the choice earliest in `order`.
    """
    counts = Counter(choice for selected in selections for choice in set(selected) if choice not in correct_ids)
    if not counts:
        return None
    rank = {choice: index for index, choice in enumerate(order)}
    choice = min(counts, key=lambda c: (-counts[c], rank.get(c, len(rank)), str(c)))
    return choice, counts[choice]


# --- Coefficient alpha -----------------------------------------------------------------------

def cronbach_alpha(matrix):
    """Cronbach's alpha of a complete learners x items score matrix (a list of equal-length rows).

    alpha = k / (k - 1) * (1 - sum of item variances / variance of the totals). The n or n - 1
    divisor cancels in the ratio, so population variances are used. None when undefined: fewer
    than two learners or items, or every learner had the same total.
    """
    rows = [list(row) for row in matrix]
    if len(rows) < 2 or not rows[0] or len(rows[0]) < 2:
        return None
    k = len(rows[0])
    if any(len(row) != k for row in rows):
        raise ValueError("cronbach_alpha() needs a complete matrix")
    item_variances = [_population_variance([row[j] for row in rows]) for j in range(k)]
    total_variance = _population_variance([sum(row) for row in rows])
    if total_variance <= 1e-12:
        return None
    return k / (k - 1) * (1 - sum(item_variances) / total_variance)


@dataclass(frozen=True)
class AlphaResult:
    #: None when not reported; `reason` then says why
    value: float | None
    #: learners in the matrix alpha was (or would be) computed over
    learners: int
    #: items in that matrix
    items: int
    reason: str | None = None


def alpha_over_shared_items(sheets, min_learners=MIN_ALPHA_LEARNERS):
    """Alpha over the learners who were drawn the most common item set, and only that set.

    Alpha needs a complete learners x items matrix. When a quiz draws a subset from a bank,
    learners saw different items, so the matrix is restricted to the learners sharing the most
    common item set (ties: the set with the smallest item ids). With the whole bank on every
    attempt that is every learner. Fewer than `min_learners` such learners gives no number: on a
    handful of learners alpha swings too much to read anything into it.
    """
    if len(sheets) < min_learners:
        return AlphaResult(None, len(sheets), 0,
                           f"Not reported: fewer than {min_learners} first attempts ({len(sheets)} so far).")
    groups = Counter(frozenset(sheet) for sheet in sheets.values())
    item_set, learners = min(groups.items(), key=lambda kv: (-kv[1], sorted(map(str, kv[0]))))
    items = sorted(item_set, key=str)
    if learners < min_learners:
        return AlphaResult(None, learners, len(items),
                           f"Not enough overlapping attempts: each learner is drawn a subset of the questions, "
                           f"and at most {learners} learners saw the same set (alpha needs {min_learners}).")
    if len(items) < 2:
        return AlphaResult(None, learners, len(items), "Not reported: alpha needs at least two questions.")
    matrix = [[sheet[item] for item in items] for sheet in sheets.values() if frozenset(sheet) == item_set]
    value = cronbach_alpha(matrix)
    if value is None:
        return AlphaResult(None, learners, len(items), "Not defined: every learner had the same total score.")
    return AlphaResult(value, learners, len(items))


# --- Knowledge gain --------------------------------------------------------------------------

@dataclass(frozen=True)
class GainSummary:
    #: learners with both a pre-test and a post-test score
    paired: int
    mean_pre: float | None
    mean_post: float | None
    mean_gain: float | None
    #: Hake's class-average normalized gain: (mean post - mean pre) / (100 - mean pre)
    normalized_gain: float | None
    #: mean of each learner's (post - pre) / (100 - pre), over learners whose pre-test was below 100
    mean_individual_gain: float | None
    individual_gain_learners: int
    #: learners whose post-test score is above their pre-test score
    improved: int

    @property
    def share_improved(self):
        return self.improved / self.paired if self.paired else None


def individual_normalized_gain(pre, post):
    """(post - pre) / (100 - pre); None for a perfect pre-test (no room to gain)."""
    return None if pre >= 100 else (post - pre) / (100 - pre)


def gain_summary(pairs):
    """Summary of paired (pre percent, post percent) scores."""
    pairs = [(float(pre), float(post)) for pre, post in pairs]
    if not pairs:
        return GainSummary(0, None, None, None, None, None, 0, 0)
    mean_pre = mean(p[0] for p in pairs)
    mean_post = mean(p[1] for p in pairs)
    individual = [g for g in (individual_normalized_gain(pre, post) for pre, post in pairs) if g is not None]
    return GainSummary(
        paired=len(pairs),
        mean_pre=mean_pre,
        mean_post=mean_post,
        mean_gain=mean_post - mean_pre,
        normalized_gain=None if mean_pre >= 100 else (mean_post - mean_pre) / (100 - mean_pre),
        mean_individual_gain=mean(individual),
        individual_gain_learners=len(individual),
        improved=sum(1 for pre, post in pairs if post > pre),
    )


@dataclass(frozen=True)
class ObjectiveMeans:
    objective_id: object
    #: mean item score on the pre-test, in percent, and how many answers it is over
    pre: float | None
    pre_answers: int
    post: float | None
    post_answers: int

    @property
    def gain(self):
        return None if self.pre is None or self.post is None else self.post - self.pre


def objective_means(scores):
    """Per objective, the mean pre-test and post-test item score in percent.

    `scores` is an iterable of (objective id, "pre" | "post", item score 0-1), one per answer.
    """
    buckets = {}
    for objective_id, occasion, score in scores:
        buckets.setdefault(objective_id, {"pre": [], "post": []})[occasion].append(float(score or 0.0))
    result = {}
    for objective_id, by_occasion in buckets.items():
        pre, post = mean(by_occasion["pre"]), mean(by_occasion["post"])
        result[objective_id] = ObjectiveMeans(objective_id, None if pre is None else 100 * pre, len(by_occasion["pre"]),
                                              None if post is None else 100 * post, len(by_occasion["post"]))
    return result


# --- Progress distribution -------------------------------------------------------------------

@dataclass(frozen=True)
class Band:
    low: int
    high: int
    count: int

    @property
    def label(self):
        return f"{self.low} to {self.high}%"


def percent_bands(percents, width=BAND_WIDTH):
    """How many learners fall in each `width`-wide band of percent complete: 0-19, 20-39, ...,
    with 100 in the last band (80-100 for a width of 20)."""
    edges = list(range(0, 100, width))
    counts = [0] * len(edges)
    for percent in percents:
        index = min(int(max(0, percent)) // width, len(edges) - 1)
        counts[index] += 1
    return tuple(Band(low, 100 if i == len(edges) - 1 else low + width - 1, counts[i])
                 for i, low in enumerate(edges))

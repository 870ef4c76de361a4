"""The evaluation summary's arithmetic and its anonymity rules. Pure: counts in, numbers out.

Nothing but the number of responses is reported for fewer than MIN_RESPONSES responses, so that no
rating or comment can be traced to a person. Comments are sorted (case-insensitively), never
listed in the order they arrived.

The figures also change only in steps of at least MIN_RESPONSES responses (`released_through`): a
trainer who read the summary, saw one known learner answer, and read it again would otherwise
find that learner's answers in the difference.
"""

from dataclasses import dataclass

from lms.evaluations.models import LIKERT_LABELS

#: below this many responses only the count is shown (page and CSV)
MIN_RESPONSES = 5
SCALE = tuple(LIKERT_LABELS)  # 1..5
AGREEING = (4, 5)
RETIRED_SECTION = "Items no longer in the survey"


@dataclass(frozen=True)
class ItemRef:
    id: int
    key: str
    text: str
    section: str
    position: int
    retired: bool


@dataclass(frozen=True)
class QuestionRef:
    id: int
    key: str
    text: str
    position: int
    retired: bool


@dataclass(frozen=True)
class ItemSummary:
    item: ItemRef
    #: how many rated it 1, 2, 3, 4, 5
    counts: tuple[int, int, int, int, int]
    #: responses that left it blank
    no_answer: int

    @property
    def answered(self):
        return sum(self.counts)

    @property
    def mean(self):
        if not self.answered:
            return None
        return sum(value * count for value, count in zip(SCALE, self.counts, strict=True)) / self.answered

    @property
    def percent_agreeing(self):
        """Share of those who rated it that chose agree or strongly agree, in percent."""
        if not self.answered:
            return None
        return 100 * sum(self.counts[value - 1] for value in AGREEING) / self.answered


@dataclass(frozen=True)
class Section:
    title: str
    items: tuple[ItemSummary, ...]


@dataclass(frozen=True)
class Comments:
    question: QuestionRef
    #: sorted alphabetically, never in the order they arrived
    answers: tuple[str, ...]


@dataclass(frozen=True)
class EvaluationSummary:
    #: every response in scope
    responses: int
    #: responses whose ratings and comments are in the figures: those released in steps (see
    #: released_through) from groups with at least MIN_RESPONSES of them (lms.evaluations.queries)
    included: int
    #: learners in scope who passed the post-test: the response rate's denominator
    eligible: int
    sections: tuple[Section, ...] = ()
    comments: tuple[Comments, ...] = ()

    @property
    def released(self):
        return self.included >= MIN_RESPONSES

    @property
    def held_back(self):
        return self.responses - self.included

    @property
    def response_rate(self):
        return 100 * self.responses / self.eligible if self.eligible else None


def released_through(day_counts, today):
    """The last day whose responses are in the figures, or None for none yet.

    `day_counts` holds (day sent, responses) for one group (a cohort, or the learners who trained
    on their own). A day enters the figures only once it is over, when its count can no longer
    change; and days enter together until they hold at least MIN_RESPONSES new responses. So each
    step adds at least that many answers at once, whenever the summary is read. The time of day
    is not stored (lms.evaluations.models), so a day is the finest step there is."""
    through, waiting = None, 0
    for day, count in sorted(day_counts):
        if day >= today:
            break
        waiting += count
        if waiting >= MIN_RESPONSES:
            through, waiting = day, 0
    return through


def suppressed(responses):
    """A summary that says how many responses there are and nothing else."""
    return EvaluationSummary(responses=responses, included=0, eligible=0)


def summarize(responses, included, eligible, items, questions, value_counts, comment_rows):
    """Build the summary. `value_counts` holds (item id, value or None, count) over the included
    responses; `comment_rows` holds (question id, text). Returns a suppressed summary below
    MIN_RESPONSES included responses, whatever else it is given."""
    if included < MIN_RESPONSES:
        return suppressed(responses)
    counts, blanks = {}, {}
    for item_id, value, count in value_counts:
        if value is None:
            blanks[item_id] = blanks.get(item_id, 0) + count
        elif value in SCALE:
            counts.setdefault(item_id, [0] * len(SCALE))[value - 1] += count
    rated = set(counts) | set(blanks)
    shown = [item for item in items if not item.retired or item.id in rated]
    ordered = sorted(shown, key=lambda item: (item.retired, item.position))
    sections = []
    for item in ordered:
        title = RETIRED_SECTION if item.retired else item.section
        summary = ItemSummary(item, tuple(counts.get(item.id, (0,) * len(SCALE))), blanks.get(item.id, 0))
        if sections and sections[-1][0] == title:
            sections[-1][1].append(summary)
        else:
            sections.append((title, [summary]))
    texts = {}
    for question_id, text in comment_rows:
        texts.setdefault(question_id, []).append(text)
    comments = tuple(
        Comments(question, tuple(sorted(texts.get(question.id, ()), key=lambda t: (t.casefold(), t))))
        for question in sorted(questions, key=lambda q: (q.retired, q.position))
        if not question.retired or question.id in texts)
    return EvaluationSummary(responses, included, eligible,
                             tuple(Section(title, tuple(rows)) for title, rows in sections), comments)

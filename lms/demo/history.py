"""One generated learner's history in one curriculum, pure: lessons read, quiz attempts with the
questions drawn and the answers given, attendance and completion, each with a time stamp, following
the same rules the app enforces (lms.learning.progress, lms.quizzes.grading).

Correctness is plausible rather than uniform: each learner has an ability, each question a
difficulty (fixed per question id), and the chance of a right answer rises with the one and falls
with the other (a logistic model), more on later attempts and on the post-test than on the pre-test.
So item analysis finds easy and hard items that discriminate, and knowledge gain is positive."""

import itertools
import math
import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from lms.learning.progress import is_required
from lms.quizzes import grading

IN_PROGRESS, SUBMITTED = "in_progress", "submitted"
SELF_PACED = "self_paced"
#: chance of going all the way, by delivery; the rest drop out somewhere on the way
FINISH_SHARE = {"in_person": 0.85, "blended": 0.75, "online": 0.6, SELF_PACED: 0.35}
PRESENT_SHARE = 0.94
PRETEST_SHARE = 0.9
#: logit shift of a right answer: the pre-test comes before the training
PRETEST_SHIFT, MODULE_SHIFT, POSTTEST_SHIFT, RETRY_SHIFT = -0.1, 2.2, 1.5, 0.6
UNLIMITED_ATTEMPTS_CAP = 5


@dataclass(frozen=True)
class Question:
    id: int
    type: str
    #: active choice ids in position order, and the sorted subset that is correct
    choice_ids: tuple[int, ...]
    correct_ids: tuple[int, ...]
    #: logistic difficulty: 0 is average, higher is harder
    difficulty: float
    #: every order the choices can be shown in (None past MAX_PERMUTED choices): picking one is a
    #: uniform shuffle at a fraction of random.shuffle's cost, which matters a million times over
    orders: tuple | None = None


MAX_PERMUTED = 5


def question(question_id, question_type, choice_ids, correct_ids, seed=0):
    """A Question with its difficulty (fixed per question id, so every learner meets the same easy
    and hard items) and its possible choice orders."""
    choice_ids = tuple(choice_ids)
    orders = tuple(itertools.permutations(choice_ids)) if len(choice_ids) <= MAX_PERMUTED else None
    return Question(question_id, question_type, choice_ids, tuple(sorted(correct_ids)),
                    random.Random(question_id * 7919 + seed).gauss(0.0, 0.8), orders)


@dataclass(frozen=True)
class Delivery:
    mode: str                      # online | in_person | blended | self_paced
    day_dates: dict                # day number -> date (empty for self-paced)
    crossover: bool = False

    @property
    def records_attendance(self):
        return self.mode in ("in_person", "blended")


@dataclass
class AttemptPlan:
    quiz_id: int
    number: int
    state: str
    started_at: datetime
    submitted_at: datetime | None
    score: float | None
    passed: bool | None
    #: (question id, position, choice order, selected, score); orders and selections are tuples
    answers: list


@dataclass
class History:
    enrolled_at: datetime
    last_activity_at: datetime
    completed_at: datetime | None = None
    reads: list = field(default_factory=list)          # (lesson id, at)
    attempts: list = field(default_factory=list)       # AttemptPlan
    attendance: list = field(default_factory=list)     # (day number, present, method, at)


class _Stop(Exception):
    """The learner's history ends here: dropped out, stuck, or the next step lies in the future."""


def _sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


class _Learner:
    def __init__(self, outline, banks, delivery, track, form_order, rng, now):
        self.outline, self.banks, self.delivery = outline, banks, delivery
        self.track, self.form_order, self.rng, self.now = track, form_order, rng, now
        self.ability = rng.gauss(0.0, 0.7)
        self.seen = {}       # question id -> times drawn, as the app counts them for draws
        self.history = None
        self.clock = None

    # --- time --------------------------------------------------------------------------------
    def _advance(self, low_minutes, high_minutes):
        self.clock += timedelta(minutes=self.rng.uniform(low_minutes, high_minutes))
        if self.clock > self.now:
            raise _Stop
        return self.clock

    def _classroom_morning(self, day_number):
        day = self.delivery.day_dates.get(day_number)
        if day is None or not self.delivery.records_attendance:
            return
        start = datetime.combine(day, time(9, 0)) + timedelta(minutes=self.rng.uniform(0, 10))
        if start > self.now:
            raise _Stop
        self.clock = max(self.clock, start)

    def _gap(self):
        """Time between steps: minutes in a classroom, hours or days when studying alone."""
        if self.delivery.records_attendance:
            return self._advance(6, 25)
        if self.rng.random() < 0.7:
            return self._advance(5, 40)
        return self._advance(60 * 8, 60 * 24 * 4)

    # --- steps -------------------------------------------------------------------------------
    def _touch(self, at):
        self.history.last_activity_at = max(self.history.last_activity_at, at)

    def _read(self, lesson):
        at = self._gap()
        self.history.reads.append((lesson.id, at))
        self._touch(at)

    def _bank_for(self, quiz):
        outline = self.outline
        if self.form_order == "BA" and outline.pretest and outline.posttest:
            if quiz.id == outline.pretest.id:
                return outline.posttest
            if quiz.id == outline.posttest.id:
                return outline.pretest
        return quiz

    def _attempt(self, quiz, number, shift, finish=True):
        """Start attempt `number` at `quiz`; answer and submit it unless `finish` is false."""
        started = self._gap()
        bank_quiz = self._bank_for(quiz)
        bank = self.banks.get(bank_quiz.id, ())
        if not bank:
            raise _Stop
        by_id = {question.id: question for question in bank}
        picked = grading.draw_questions(list(by_id), self.seen, bank_quiz.question_count, self.rng)
        for question_id in picked:
            self.seen[question_id] = self.seen.get(question_id, 0) + 1
        plan = AttemptPlan(quiz.id, number, IN_PROGRESS, started, None, None, None, [])
        self.history.attempts.append(plan)
        self._touch(started)
        scores = []
        for position, question_id in enumerate(picked, start=1):
            question = by_id[question_id]
            if question.orders:
                order = question.orders[int(self.rng.random() * len(question.orders))]
            else:
                order = tuple(grading.shuffled(list(question.choice_ids), self.rng))
            selected, score = (), None
            if finish:
                selected = self._answer(question, shift)
                if quiz.partial_credit:
                    score = grading.grade_question(question.type, question.correct_ids, selected, True).score
                else:  # all or nothing, as grading.grade_question scores it, without building sets
                    score = 1.0 if selected == question.correct_ids else 0.0
                scores.append(score)
            plan.answers.append((question_id, position, order, selected, score))
        if not finish:
            raise _Stop
        submitted = self._advance(3, 4 + 1.2 * len(picked))
        plan.state, plan.submitted_at = SUBMITTED, submitted
        plan.score = grading.percent(scores)
        plan.passed = grading.is_pass(float(plan.score), quiz.pass_mark)
        self._touch(submitted)
        return plan.passed

    def _answer(self, question, shift):
        """The sorted tuple of choice ids selected."""
        rng = self.rng
        if rng.random() < 0.01:
            return ()  # left blank
        if rng.random() < _sigmoid(self.ability - question.difficulty + shift):
            return question.correct_ids
        wrong = [c for c in question.choice_ids if c not in question.correct_ids]
        if question.type == "multiple":
            chosen = set(question.correct_ids)
            if wrong and (len(chosen) < 2 or rng.random() < 0.5):
                chosen.add(rng.choice(wrong))
            else:
                chosen.discard(rng.choice(question.correct_ids))
            return tuple(sorted(chosen))
        if not wrong:
            return question.correct_ids
        # The first distractor is the tempting one (three times as likely as each other), so
        # "most chosen wrong answer" in the item analysis means something.
        pick = int(rng.random() * (len(wrong) + 2))
        return (wrong[max(0, pick - 2)],)

    def _pass_quiz(self, quiz, shift, give_up_after=None):
        """Attempts until a pass or no attempts are left; raises _Stop when stuck or giving up."""
        limit = quiz.max_attempts or UNLIMITED_ATTEMPTS_CAP
        for number in range(1, limit + 1):
            if give_up_after is not None and number > give_up_after:
                raise _Stop
            if self._attempt(quiz, number, shift + RETRY_SHIFT * (number - 1)):
                return
        raise _Stop  # out of attempts: waits for a trainer to grant one

    def _attend(self, day_number):
        """Record the trainer's mark for a classroom day; False if the learner was absent."""
        day = self.delivery.day_dates.get(day_number)
        if day is None or day > self.now.date():
            return None
        present = self.rng.random() < PRESENT_SHARE
        if present and self.rng.random() < 0.35:
            method, at = "check_in", datetime.combine(day, time(8, 40)) + timedelta(minutes=self.rng.uniform(0, 30))
        else:
            method, at = "roster", datetime.combine(day, time(16, 30)) + timedelta(minutes=self.rng.uniform(0, 20))
        if at > self.now:
            return None
        self.history.attendance.append((day_number, present, method, at))
        return present

    # --- the whole history -------------------------------------------------------------------
    def run(self):
        outline, rng = self.outline, self.rng
        enrolled_at = self._enrolled_at()
        self.history = History(enrolled_at=enrolled_at, last_activity_at=enrolled_at)
        self.clock = enrolled_at
        required = [m for day in outline.days for m in day.modules if is_required(m.level, self.track)]
        finishes = rng.random() < FINISH_SHARE[self.delivery.mode]
        stop_after = len(required) if finishes else rng.randrange(len(required) + 1)
        attended = {}
        try:
            if self.delivery.records_attendance:
                for number in self.delivery.day_dates:
                    attended[number] = self._attend(number)
            self._classroom_morning(outline.days[0].number if outline.days else 1)
            if outline.pretest and rng.random() < PRETEST_SHARE:
                self._attempt(outline.pretest, 1, PRETEST_SHIFT)
            done = 0
            for day in outline.days:
                if attended.get(day.number) is False:
                    raise _Stop  # absent: the day stays incomplete and the next stays locked
                self._classroom_morning(day.number)
                for module in day.modules:
                    if not is_required(module.level, self.track):
                        continue
                    if done == stop_after:
                        self._partial(module)
                    for lesson in module.lessons:
                        self._read(lesson)
                    if module.quiz is not None:
                        self._pass_quiz(module.quiz, MODULE_SHIFT)
                    done += 1
                if self.delivery.records_attendance and attended.get(day.number) is None:
                    raise _Stop  # the day is not over (or its attendance not recorded) yet
            self._finish(attended)
        except _Stop:
            pass
        return self.history

    def _partial(self, module):
        """Stop somewhere inside `module`: a few lessons read, perhaps a failed or unfinished attempt."""
        lessons = list(module.lessons)
        read = self.rng.randrange(len(lessons) + 1) if lessons else 0
        for lesson in lessons[:read]:
            self._read(lesson)
        if read == len(lessons) and module.quiz is not None:
            if self.rng.random() < 0.5:
                self._attempt(module.quiz, 1, MODULE_SHIFT, finish=False)
            self._pass_quiz(module.quiz, MODULE_SHIFT - 1.0, give_up_after=1)
        raise _Stop

    def _finish(self, attended):
        outline = self.outline
        if self.delivery.records_attendance:
            marks = [at for _, present, _, at in self.history.attendance if present]
            self.clock = max([self.clock, *marks])
        if outline.posttest is not None:
            self._pass_quiz(outline.posttest, POSTTEST_SHIFT)
        self.history.completed_at = max(self.history.last_activity_at, self.clock)

    def _enrolled_at(self):
        rng = self.rng
        first_day = min(self.delivery.day_dates.values()) if self.delivery.day_dates else None
        if first_day is None:
            return self.now - timedelta(days=rng.uniform(1, 400), minutes=rng.uniform(0, 600))
        lead_days = rng.uniform(2, 40) if self.delivery.records_attendance else rng.uniform(0, 10)
        at = datetime.combine(first_day, time(8, 0)) - timedelta(days=lead_days)
        return min(at, self.now - timedelta(minutes=rng.uniform(1, 600)))


def simulate(outline, banks, delivery, track, form_order, rng, now):
    """The history of one learner: `outline` is the curriculum's Outline, `banks` maps a quiz id to
    its active Questions, `now` is the latest a time stamp may be."""
    return _Learner(outline, banks, delivery, track, form_order, rng, now).run()


def classroom_days(first_day, outline):
    """{day number: date} for a delivery whose first day is `first_day`, the others on the days after."""
    return {day.number: first_day + timedelta(days=index) for index, day in enumerate(outline.days)}


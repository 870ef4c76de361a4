"""Progress rules (design §4), pure: plain data in, statuses and the next step out."""

import enum
from dataclasses import dataclass, field


class Status(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"


LEVEL_LABELS = {"core": "Core (all tracks)", "introductory": "Introductory track", "advanced": "Advanced track"}
STATUS_LABELS = {Status.NOT_STARTED: "Not started", Status.IN_PROGRESS: "In progress", Status.COMPLETE: "Complete"}


@dataclass(frozen=True)
class LessonRef:
    id: int
    key: str
    title: str


@dataclass(frozen=True)
class QuizRef:
    id: int
    key: str
    kind: str
    title: str
    pass_mark: int | None
    max_attempts: int | None
    question_count: int
    partial_credit: bool = False
    time_limit_minutes: int | None = None


@dataclass(frozen=True)
class ModuleRef:
    id: int
    key: str
    title: str
    level: str
    minutes: int
    summary: str
    day_number: int
    lessons: tuple[LessonRef, ...]
    quiz: QuizRef | None


@dataclass(frozen=True)
class DayRef:
    number: int
    title: str
    modules: tuple[ModuleRef, ...]


@dataclass(frozen=True)
class Outline:
    """The structure of one curriculum version: what there is to do, in order."""

    curriculum_id: int
    key: str
    title: str
    summary: str
    credit_hours: float
    sequential_days: bool
    version: str
    days: tuple[DayRef, ...]
    pretest: QuizRef | None
    posttest: QuizRef | None

    @property
    def modules(self):
        return tuple(module for day in self.days for module in day.modules)

    def module(self, key):
        return next((module for module in self.modules if module.key == key), None)

    @property
    def quizzes(self):
        return tuple(q for q in (self.pretest, self.posttest, *(m.quiz for m in self.modules)) if q is not None)

    def quiz(self, key):
        return next((quiz for quiz in self.quizzes if quiz.key == key), None)

    def quiz_by_id(self, quiz_id):
        return next((quiz for quiz in self.quizzes if quiz.id == quiz_id), None)

    def module_of_quiz(self, quiz_id):
        return next((m for m in self.modules if m.quiz is not None and m.quiz.id == quiz_id), None)

    def module_of_lesson(self, lesson_id):
        return next((m for m in self.modules if any(lesson.id == lesson_id for lesson in m.lessons)), None)


@dataclass(frozen=True)
class LearnerRecord:
    """What the learner has done: the facts progress is computed from."""

    track: str
    read_lesson_ids: frozenset = frozenset()
    best_scores: dict = field(default_factory=dict)       # quiz id -> best submitted percent
    attempts_used: dict = field(default_factory=dict)     # quiz id -> submitted attempts
    open_attempt_quiz_ids: frozenset = frozenset()
    days_attended: frozenset | None = None                # None: attendance not required


@dataclass(frozen=True)
class NextStep:
    kind: str            # "lesson", "quiz", "pretest", "posttest", "done"
    module_key: str | None = None
    lesson_key: str | None = None
    quiz_key: str | None = None
    label: str = ""


@dataclass(frozen=True)
class ModuleProgress:
    module: ModuleRef
    required: bool
    lessons_read: int
    quiz_passed: bool
    best_score: float | None
    status: Status

    @property
    def lessons_total(self):
        return len(self.module.lessons)


@dataclass(frozen=True)
class DayProgress:
    day: DayRef
    modules: tuple[ModuleProgress, ...]
    locked: bool
    attended: bool | None
    status: Status
    remaining: tuple[str, ...]

    @property
    def complete(self):
        return self.status == Status.COMPLETE


@dataclass(frozen=True)
class CurriculumProgress:
    outline: Outline
    record: LearnerRecord
    days: tuple[DayProgress, ...]
    pretest_open: bool
    pretest_taken: bool
    posttest_open: bool
    posttest_passed: bool
    complete: bool
    percent: int
    next_step: NextStep
    status: Status

    def module(self, key):
        return next((mp for day in self.days for mp in day.modules if mp.module.key == key), None)

    def day_of_module(self, key):
        return next((day for day in self.days if any(mp.module.key == key for mp in day.modules)), None)


def is_required(level, track):
    """Core modules are required on every track; others only on the track of the same name."""
    return level == "core" or level == track


def quiz_passed(quiz, record):
    best = record.best_scores.get(quiz.id)
    return best is not None and quiz.pass_mark is not None and best >= quiz.pass_mark


def module_progress(module, record):
    read = sum(1 for lesson in module.lessons if lesson.id in record.read_lesson_ids)
    passed = module.quiz is None or quiz_passed(module.quiz, record)
    best = record.best_scores.get(module.quiz.id) if module.quiz else None
    quiz_open = module.quiz is not None and module.quiz.id in record.open_attempt_quiz_ids
    touched = read > 0 or best is not None or quiz_open
    if read == len(module.lessons) and passed:
        status = Status.COMPLETE
    elif touched:
        status = Status.IN_PROGRESS
    else:
        status = Status.NOT_STARTED
    return ModuleProgress(module, is_required(module.level, record.track), read, passed and module.quiz is not None,
                          best, status)


def _remaining_in_module(progress):
    if progress.status == Status.COMPLETE:
        return []
    items = []
    unread = progress.lessons_total - progress.lessons_read
    if unread:
        items.append(f"{progress.module.title}: {unread} lesson{'s' if unread != 1 else ''} to read")
    if progress.module.quiz is not None and not progress.quiz_passed:
        items.append(f"{progress.module.title}: pass the quiz ({progress.module.quiz.pass_mark}% needed)")
    return items


def day_progress(day, record, locked):
    modules = tuple(module_progress(module, record) for module in day.modules)
    required = [mp for mp in modules if mp.required]
    remaining = [item for mp in required for item in _remaining_in_module(mp)]
    attended = None if record.days_attended is None else day.number in record.days_attended
    if attended is False:
        remaining.append(f"Attendance for Day {day.number} recorded by your trainer")
    if not remaining:
        status = Status.COMPLETE
    elif any(mp.status != Status.NOT_STARTED for mp in required):
        status = Status.IN_PROGRESS
    else:
        status = Status.NOT_STARTED
    return DayProgress(day, modules, locked, attended, status, tuple(remaining))


def curriculum_progress(outline, record):
    """Every status on the learner's page, the percent complete and the next required step."""
    days, previous_complete = [], True
    for day in outline.days:
        locked = outline.sequential_days and not previous_complete
        progress = day_progress(day, record, locked)
        days.append(progress)
        previous_complete = previous_complete and progress.complete
    all_days_complete = all(day.complete for day in days)
    pretest_taken = outline.pretest is not None and outline.pretest.id in record.best_scores
    pretest_open = outline.pretest is not None and not pretest_taken and not _has_started_course(outline, record)
    posttest_passed = outline.posttest is not None and quiz_passed(outline.posttest, record)
    complete = all_days_complete and (outline.posttest is None or posttest_passed)
    percent = _percent(days, outline, record)
    return CurriculumProgress(
        outline=outline,
        record=record,
        days=tuple(days),
        pretest_open=pretest_open,
        pretest_taken=pretest_taken,
        posttest_open=all_days_complete and outline.posttest is not None,
        posttest_passed=posttest_passed,
        complete=complete,
        percent=percent,
        next_step=_next_step(outline, days, record, pretest_open, all_days_complete, posttest_passed),
        status=_overall_status(complete, percent, pretest_taken),
    )


def _overall_status(complete, percent, pretest_taken):
    if complete:
        return Status.COMPLETE
    return Status.IN_PROGRESS if percent or pretest_taken else Status.NOT_STARTED


def _has_started_course(outline, record):
    module_quiz_ids = {m.quiz.id for m in outline.modules if m.quiz}
    return bool(record.read_lesson_ids) or any(quiz_id in record.best_scores for quiz_id in module_quiz_ids)


def _percent(days, outline, record):
    total = done = 0
    for day in days:
        for mp in day.modules:
            if not mp.required:
                continue
            total += mp.lessons_total + (1 if mp.module.quiz else 0)
            done += mp.lessons_read + (1 if mp.quiz_passed else 0)
    if outline.posttest is not None:
        total += 1
        done += 1 if quiz_passed(outline.posttest, record) else 0
    return int(100 * done / total) if total else 0


def _next_step(outline, days, record, pretest_open, all_days_complete, posttest_passed):
    if pretest_open and outline.pretest.id not in record.open_attempt_quiz_ids | frozenset(record.best_scores):
        return NextStep("pretest", quiz_key=outline.pretest.key, label="Take the pre-test")
    if pretest_open:
        return NextStep("pretest", quiz_key=outline.pretest.key, label="Finish the pre-test")
    for day in days:
        if day.locked:
            break
        for mp in day.modules:
            if not mp.required or mp.status == Status.COMPLETE:
                continue
            for lesson in mp.module.lessons:
                if lesson.id not in record.read_lesson_ids:
                    return NextStep("lesson", mp.module.key, lesson.key, label=f"{mp.module.title}: {lesson.title}")
            if mp.module.quiz is not None:
                return NextStep("quiz", mp.module.key, quiz_key=mp.module.quiz.key,
                                label=f"{mp.module.title}: quiz")
    if all_days_complete and outline.posttest is not None and not posttest_passed:
        return NextStep("posttest", quiz_key=outline.posttest.key, label="Take the post-test")
    if all_days_complete:
        return NextStep("done", label="Curriculum complete")
    return NextStep("waiting", label="Waiting for attendance to be recorded")

"""Write validated curriculum specs into the database, matching rows by their stable keys.

Unchanged files change nothing; edited items are updated in place; items gone from the files are
retired (hidden from new work) so that learners' progress and attempt history keep their rows.
"""

from dataclasses import dataclass, field

from sqlalchemy import select

from lms.core import audit
from lms.core.time import utcnow
from lms.curricula.models import (
    Choice,
    Curriculum,
    Day,
    Lesson,
    Module,
    Objective,
    Question,
    Quiz,
    QuizKind,
)
from lms.evaluations.models import EvaluationItem, EvaluationQuestion
from lms.extensions import db


@dataclass
class ImportResult:
    key: str
    status: str  # "created", "updated" or "unchanged"
    version: str
    counts: dict = field(default_factory=dict)

    def __str__(self):
        details = ", ".join(f"{count} {name}" for name, count in self.counts.items())
        return f"{self.key}: {self.status} (version {self.version[:12]}){': ' + details if details else ''}"


def import_curricula(specs, actor=None):
    """Import every spec; flushes, and the caller commits once so the import is all or nothing."""
    return [_import_one(spec, actor) for spec in specs]


def _import_one(spec, actor):
    curriculum = db.session.scalar(select(Curriculum).where(Curriculum.key == spec.key))
    if curriculum is not None and curriculum.version == spec.version:
        return ImportResult(spec.key, "unchanged", spec.version)
    status = "updated" if curriculum is not None else "created"
    if curriculum is None:
        curriculum = Curriculum(key=spec.key)
        db.session.add(curriculum)
    curriculum.title = spec.title
    curriculum.summary = spec.summary
    curriculum.credit_hours = spec.credit_hours
    curriculum.sequential_days = spec.sequential_days
    curriculum.version = spec.version
    curriculum.imported_at = utcnow()
    db.session.flush()
    _Sync(curriculum, spec).run()
    result = ImportResult(spec.key, status, spec.version, _counts(spec))
    audit.record("curriculum.import", actor=actor, target=f"curriculum:{spec.key}",
                 status=status, version=spec.version)
    return result


def _counts(spec):
    modules = spec.modules
    return {
        "modules": len(modules),
        "lessons": sum(len(module.lessons) for module in modules),
        "questions": sum(len(quiz.questions) for quiz in _quizzes(spec)),
    }


def _quizzes(spec):
    quizzes = [module.quiz for module in spec.modules if module.quiz]
    return quizzes + [quiz for quiz in (spec.pretest, spec.posttest) if quiz]


class _Sync:
    """Brings one curriculum's rows in line with its spec, loading each table once."""

    def __init__(self, curriculum, spec):
        self.curriculum = curriculum
        self.spec = spec
        self.now = utcnow()
        cid = curriculum.id
        self.days = {d.number: d for d in db.session.scalars(select(Day).where(Day.curriculum_id == cid))}
        self.modules = {m.key: m for m in db.session.scalars(select(Module).where(Module.curriculum_id == cid))}
        module_ids = select(Module.id).where(Module.curriculum_id == cid)
        self.objectives = _group(db.session.scalars(select(Objective).where(Objective.module_id.in_(module_ids))),
                                 "module_id")
        self.lessons = _group(db.session.scalars(select(Lesson).where(Lesson.module_id.in_(module_ids))), "module_id")
        self.quizzes = {q.key: q for q in db.session.scalars(select(Quiz).where(Quiz.curriculum_id == cid))}
        quiz_ids = select(Quiz.id).where(Quiz.curriculum_id == cid)
        self.questions = _group(db.session.scalars(select(Question).where(Question.quiz_id.in_(quiz_ids))), "quiz_id")
        question_ids = select(Question.id).where(Question.quiz_id.in_(quiz_ids))
        self.choices = _group(db.session.scalars(select(Choice).where(Choice.question_id.in_(question_ids))),
                              "question_id")
        self.objective_ids = {}
        self.evaluation_items = {i.key: i for i in db.session.scalars(
            select(EvaluationItem).where(EvaluationItem.curriculum_id == cid))}
        self.evaluation_questions = {q.key: q for q in db.session.scalars(
            select(EvaluationQuestion).where(EvaluationQuestion.curriculum_id == cid))}

    def run(self):
        seen_modules = set()
        position = 0
        for day_spec in self.spec.days:
            day = self._day(day_spec)
            for module_spec in day_spec.modules:
                position += 1
                seen_modules.add(module_spec.key)
                self._module(module_spec, day, position)
        for key, module in self.modules.items():
            if key not in seen_modules:
                self._retire(module)
        for kind, quiz_spec in ((QuizKind.PRETEST, self.spec.pretest), (QuizKind.POSTTEST, self.spec.posttest)):
            if quiz_spec is not None:
                self._quiz(kind.value, kind, quiz_spec, None, lambda objective: self.objective_ids[objective])
        self._evaluation(self.spec.evaluation)

    def _day(self, day_spec):
        day = self.days.get(day_spec.number)
        if day is None:
            day = Day(curriculum_id=self.curriculum.id, number=day_spec.number)
            db.session.add(day)
            self.days[day_spec.number] = day
        day.title = day_spec.title
        db.session.flush()
        return day

    def _module(self, spec, day, position):
        module = self.modules.get(spec.key)
        if module is None:
            module = Module(curriculum_id=self.curriculum.id, key=spec.key)
            db.session.add(module)
            self.modules[spec.key] = module
        module.day_id = day.id
        module.title, module.level, module.minutes = spec.title, spec.level, spec.minutes
        module.summary, module.position, module.retired_at = spec.summary, position, None
        db.session.flush()
        self._objectives(module, spec)
        self._lessons(module, spec)
        if spec.quiz is not None:
            self._quiz(spec.key, QuizKind.MODULE, spec.quiz, module,
                       lambda objective: self.objective_ids[f"{spec.key}/{objective}"])

    def _objectives(self, module, spec):
        existing = {o.key: o for o in self.objectives.get(module.id, [])}
        for position, objective_spec in enumerate(spec.objectives, start=1):
            objective = existing.pop(objective_spec.key, None) or Objective(module_id=module.id, key=objective_spec.key)
            objective.text, objective.position, objective.retired_at = objective_spec.text, position, None
            db.session.add(objective)
            db.session.flush()
            self.objective_ids[f"{spec.key}/{objective_spec.key}"] = objective.id
        for leftover in existing.values():
            self._retire(leftover)

    def _lessons(self, module, spec):
        existing = {lesson.key: lesson for lesson in self.lessons.get(module.id, [])}
        for position, lesson_spec in enumerate(spec.lessons, start=1):
            lesson = existing.pop(lesson_spec.key, None) or Lesson(module_id=module.id, key=lesson_spec.key)
            lesson.title, lesson.body_html = lesson_spec.title, lesson_spec.body_html
            lesson.source_hash, lesson.word_count = lesson_spec.source_hash, lesson_spec.word_count
            lesson.position, lesson.retired_at = position, None
            db.session.add(lesson)
        for leftover in existing.values():
            self._retire(leftover)

    def _quiz(self, key, kind, spec, module, objective_id):
        quiz = self.quizzes.get(key)
        if quiz is None:
            quiz = Quiz(curriculum_id=self.curriculum.id, key=key)
            db.session.add(quiz)
            self.quizzes[key] = quiz
        quiz.kind = kind.value
        quiz.module_id = module.id if module else None
        quiz.title = _quiz_title(kind, module)
        quiz.pass_mark, quiz.max_attempts, quiz.draw = spec.pass_mark, spec.max_attempts, spec.draw
        quiz.partial_credit, quiz.time_limit_minutes = spec.partial_credit, spec.time_limit_minutes
        db.session.flush()
        existing = {q.key: q for q in self.questions.get(quiz.id, [])}
        for position, question_spec in enumerate(spec.questions, start=1):
            question = existing.pop(question_spec.key, None) or Question(quiz_id=quiz.id, key=question_spec.key)
            question.type, question.prompt = question_spec.type, question_spec.prompt
            question.explanation, question.position = question_spec.explanation, position
            question.objective_id, question.retired_at = objective_id(question_spec.objective), None
            db.session.add(question)
            db.session.flush()
            self._choices(question, question_spec)
        for leftover in existing.values():
            self._retire(leftover)

    def _choices(self, question, spec):
        existing = {c.key: c for c in self.choices.get(question.id, [])}
        for position, choice_spec in enumerate(spec.choices, start=1):
            choice = existing.pop(choice_spec.key, None) or Choice(question_id=question.id, key=choice_spec.key)
            choice.text, choice.is_correct = choice_spec.text, choice_spec.correct
            choice.position, choice.retired_at = position, None
            db.session.add(choice)
        for leftover in existing.values():
            self._retire(leftover)

    def _evaluation(self, spec):
        """Items and open questions by key; those gone from evaluation.yaml (or all of them, when
        the curriculum no longer has one) are retired, so past answers keep their rows."""
        items, questions = dict(self.evaluation_items), dict(self.evaluation_questions)
        position = 0
        for group in spec.groups if spec else ():
            for item_spec in group.items:
                position += 1
                item = items.pop(item_spec.key, None) or EvaluationItem(curriculum_id=self.curriculum.id,
                                                                        key=item_spec.key)
                item.text, item.section, item.position, item.retired_at = item_spec.text, group.title, position, None
                item.day_number = group.day
                item.module_id = self.modules[group.module].id if group.module else None
                db.session.add(item)
        for position, question_spec in enumerate(spec.questions if spec else (), start=1):
            question = questions.pop(question_spec.key, None) or EvaluationQuestion(
                curriculum_id=self.curriculum.id, key=question_spec.key)
            question.text, question.position, question.retired_at = question_spec.text, position, None
            db.session.add(question)
        for leftover in (*items.values(), *questions.values()):
            self._retire(leftover)

    def _retire(self, row):
        if row.retired_at is None:
            row.retired_at = self.now


def _group(rows, attribute):
    grouped = {}
    for row in rows:
        grouped.setdefault(getattr(row, attribute), []).append(row)
    return grouped


def _quiz_title(kind, module):
    if kind == QuizKind.PRETEST:
        return "Pre-test"
    if kind == QuizKind.POSTTEST:
        return "Post-test"
    return f"Quiz: {module.title}"

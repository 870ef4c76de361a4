"""A learner driven through the HTTP interface, answering quizzes right or wrong on purpose."""

import re
import shutil
from pathlib import Path

from sqlalchemy import select

from lms.curricula.models import Choice, Quiz
from lms.extensions import db
from lms.quizzes.models import Answer, Attempt

ATTEMPT_URL = re.compile(r"/attempts/(\d+)$")
#: the modules the fixture curriculum requires on the introductory track, in order
INTRODUCTORY_MODULES = ("basics", "newcomers", "practice")


class Learner:
    def __init__(self, client, curriculum_key="fixture-course"):
        self.client = client
        self.key = curriculum_key

    def enroll(self, track="introductory"):
        return self.client.post(f"/curricula/{self.key}/enroll", data={"track": track})

    def read(self, module_key, lesson_key):
        return self.client.post(f"/curricula/{self.key}/modules/{module_key}/lessons/{lesson_key}/read")

    def read_module(self, module_key, lesson_keys=("first", "second")):
        return [self.read(module_key, lesson) for lesson in lesson_keys]

    def finish_required_modules(self, module_keys=INTRODUCTORY_MODULES):
        """Read and pass every module the introductory track requires, up to the post-test."""
        for module_key in module_keys:
            self.read_module(module_key)
            self.take(module_key)

    def start(self, quiz_key):
        response = self.client.post(f"/curricula/{self.key}/quizzes/{quiz_key}/start")
        match = ATTEMPT_URL.search(response.headers.get("Location", ""))
        return int(match.group(1)) if match else response

    def answers_for(self, attempt_id, right=True):
        """Form data answering every drawn question right (or every one wrong)."""
        data = {"submit": "Submit answers for grading"}
        rows = db.session.execute(select(Answer).where(Answer.attempt_id == attempt_id)).scalars().all()
        for answer in rows:
            choices = db.session.scalars(select(Choice).where(Choice.id.in_(answer.choice_order))).all()
            picked = [c.id for c in choices if c.is_correct == right]
            if not right:
                picked = picked[:1]
            data[f"q{answer.position}"] = [str(choice_id) for choice_id in picked]
        return data

    def take(self, quiz_key, right=True):
        attempt_id = self.start(quiz_key)
        assert isinstance(attempt_id, int), attempt_id
        response = self.client.post(f"/attempts/{attempt_id}", data=self.answers_for(attempt_id, right))
        assert response.status_code == 302, response.status_code
        return db.session.get(Attempt, attempt_id, populate_existing=True)

    def drawn_question_ids(self, attempt_id):
        return set(db.session.scalars(select(Answer.question_id).where(Answer.attempt_id == attempt_id)))


def quiz_id(key):
    return db.session.scalar(select(Quiz.id).where(Quiz.key == key))


FIXTURE_COURSE = Path(__file__).parents[1] / "fixtures" / "curricula" / "valid" / "fixture-course"


def import_fixture_copy(directory, key, extra_modules=0, basics_draw=None):
    """Import a copy of the fixture curriculum under the key `key`, with `extra_modules` more core
    modules on Day 1 (copies of basics) and, given `basics_draw`, that many questions drawn for
    the basics quiz; returns its Curriculum row."""
    from lms.curricula.loader import load_all
    from lms.curricula.operations import import_curricula
    from lms.learning.queries import curriculum_by_key

    target = Path(directory) / key
    shutil.copytree(FIXTURE_COURSE, target)
    extra = [f"extra-{number}" for number in range(1, extra_modules + 1)]
    for module_key in extra:
        shutil.copytree(target / "day-1" / "basics", target / "day-1" / module_key)
        _replace_in(target / "day-1" / module_key / "module.yaml", "key: basics", f"key: {module_key}")
    if basics_draw is not None:
        _replace_in(target / "day-1" / "basics" / "quiz.yaml", "draw: 4", f"draw: {basics_draw}")
    _replace_in(target / "curriculum.yaml", "key: fixture-course", f"key: {key}")
    _replace_in(target / "curriculum.yaml", "modules: [basics, newcomers, specialists]",
                f"modules: [{', '.join(['basics', 'newcomers', 'specialists', *extra])}]")
    import_curricula(load_all(target))
    db.session.commit()
    return curriculum_by_key(key)


def _replace_in(path, old, new):
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))

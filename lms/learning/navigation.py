"""Where each kind of next step lives, for Resume buttons and after-action redirects."""

from flask import url_for


def step_url(outline, step):
    """The page for a learner's next step."""
    if step.kind == "lesson":
        return url_for("curricula.lesson", key=outline.key, module_key=step.module_key, lesson_key=step.lesson_key)
    if step.kind in ("quiz", "pretest", "posttest"):
        return url_for("quizzes.quiz", key=outline.key, quiz_key=step.quiz_key)
    return url_for("learning.curriculum", key=outline.key)

from lms.learning.progress import (
    DayRef,
    LearnerRecord,
    LessonRef,
    ModuleRef,
    Outline,
    QuizRef,
    Status,
    curriculum_progress,
    is_required,
)


def _module(id_, key, level, day, lessons, quiz_id):
    return ModuleRef(id_, key, key.title(), level, 60, "", day,
                     tuple(LessonRef(lesson_id, f"l{lesson_id}", f"Lesson {lesson_id}") for lesson_id in lessons),
                     QuizRef(quiz_id, key, "module", f"Quiz {key}", 80, 3, 5))


CORE1 = _module(1, "core-one", "core", 1, [11, 12], 101)
INTRO = _module(2, "intro", "introductory", 1, [21], 102)
ADV = _module(3, "adv", "advanced", 1, [31], 103)
CORE2 = _module(4, "core-two", "core", 2, [41], 104)
OUTLINE = Outline(
    1, "course", "Course", "", 14, True, "v1",
    (DayRef(1, "One", (CORE1, INTRO, ADV)), DayRef(2, "Two", (CORE2,))),
    QuizRef(200, "pretest", "pretest", "Pre-test", None, 1, 20),
    QuizRef(201, "posttest", "posttest", "Post-test", 70, 3, 20),
)


def record(track="introductory", read=(), best=None, **extra):
    return LearnerRecord(track=track, read_lesson_ids=frozenset(read), best_scores=best or {}, **extra)


def test_required_set_depends_on_track():
    assert is_required("core", "advanced") and is_required("core", "introductory")
    assert is_required("introductory", "introductory") and not is_required("introductory", "advanced")
    assert is_required("advanced", "advanced") and not is_required("advanced", "introductory")


def test_fresh_learner_is_offered_the_pretest_then_the_first_lesson():
    progress = curriculum_progress(OUTLINE, record())
    assert progress.status == Status.NOT_STARTED and progress.percent == 0
    assert progress.pretest_open and progress.next_step.kind == "pretest"
    assert progress.days[1].locked and not progress.posttest_open
    after_pretest = curriculum_progress(OUTLINE, record(best={200: 40.0}))
    assert after_pretest.next_step.kind == "lesson" and after_pretest.next_step.lesson_key == "l11"


def test_pretest_closes_once_the_course_is_started_and_never_gates():
    progress = curriculum_progress(OUTLINE, record(read=[11]))
    assert not progress.pretest_open and not progress.pretest_taken
    assert progress.next_step.lesson_key == "l12"


def test_day_two_unlocks_when_day_one_required_modules_are_complete():
    done_day1 = record(read=[11, 12, 21], best={101: 80.0, 102: 100.0})
    progress = curriculum_progress(OUTLINE, done_day1)
    assert progress.days[0].complete and not progress.days[1].locked
    assert progress.module("adv").required is False
    assert progress.next_step.lesson_key == "l41"


def test_locked_day_lists_exactly_what_remains():
    progress = curriculum_progress(OUTLINE, record(read=[11, 12], best={101: 60.0}))
    assert progress.days[1].locked
    assert progress.days[0].remaining == (
        "Core-One: pass the quiz (80% needed)",
        "Intro: 1 lesson to read",
        "Intro: pass the quiz (80% needed)",
    )


def test_advanced_track_requires_the_advanced_module_instead():
    progress = curriculum_progress(OUTLINE, record(track="advanced", read=[11, 12, 21], best={101: 90.0, 102: 90.0}))
    assert not progress.days[0].complete
    assert progress.days[0].remaining == ("Adv: 1 lesson to read", "Adv: pass the quiz (80% needed)")


def test_posttest_opens_after_both_days_and_completion_needs_a_pass():
    both_days = {"read": [11, 12, 21, 41], "best": {101: 80.0, 102: 80.0, 104: 100.0}}
    progress = curriculum_progress(OUTLINE, record(**both_days))
    assert progress.posttest_open and not progress.complete and progress.next_step.kind == "posttest"
    failed = curriculum_progress(OUTLINE, record(read=both_days["read"], best={**both_days["best"], 201: 60.0}))
    assert not failed.complete
    passed = curriculum_progress(OUTLINE, record(read=both_days["read"], best={**both_days["best"], 201: 70.0}))
    assert passed.complete and passed.percent == 100 and passed.next_step.kind == "done"


def test_percent_counts_required_lessons_quizzes_and_posttest():
    # introductory: core-one (2 lessons + quiz), intro (1 + quiz), core-two (1 + quiz), post-test = 8 items
    progress = curriculum_progress(OUTLINE, record(read=[11, 12, 31], best={103: 100.0}))
    assert progress.percent == 25


def test_attendance_is_required_when_recorded_for_the_cohort():
    done_day1 = {"read": [11, 12, 21], "best": {101: 80.0, 102: 80.0}}
    absent = curriculum_progress(OUTLINE, record(**done_day1, days_attended=frozenset()))
    assert not absent.days[0].complete and absent.days[1].locked
    assert "Attendance for Day 1 recorded by your trainer" in absent.days[0].remaining
    present = curriculum_progress(OUTLINE, record(**done_day1, days_attended=frozenset({1})))
    assert present.days[0].complete


def test_module_status_moves_from_not_started_to_complete():
    assert curriculum_progress(OUTLINE, record()).module("core-one").status == Status.NOT_STARTED
    assert curriculum_progress(OUTLINE, record(read=[11])).module("core-one").status == Status.IN_PROGRESS
    done = curriculum_progress(OUTLINE, record(read=[11, 12], best={101: 85.0}))
    assert done.module("core-one").status == Status.COMPLETE

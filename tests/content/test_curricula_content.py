"""The real curricula meet the content standards of the content issues (read from the files)."""

import difflib
import re
from pathlib import Path

import pytest

from lms.curricula.loader import load_curriculum
from lms.learning.progress import is_required

CURRICULA = Path(__file__).resolve().parents[2] / "curricula"
KEYS = ["casom-basic", "indian-country"]
UNMEASURABLE = ("understand", "know", "learn", "appreciate", "be aware")
FORBIDDEN_FACTS = [  # marked unverified or corrected in the reference: must never appear
    ("56.1%", "unverified figure"),
    ("13.7%", "unverified figure"),
    ("pursuant to Section 126", "the tribal election is SORNA §127 (34 U.S.C. § 20929), not §126"),
]
NEAR_IDENTICAL = 0.9  # difflib ratio at which a pre/post-test prompt repeats a module quiz prompt


@pytest.fixture(scope="module", params=KEYS)
def spec(request):
    return load_curriculum(CURRICULA / request.param)


def _lesson_sources(spec):
    folder = CURRICULA / spec.key
    return {path: path.read_text() for path in folder.glob("day-*/*/*.md")}


def _question_sources(spec):
    folder = CURRICULA / spec.key
    paths = [*folder.glob("day-*/*/quiz.yaml"), folder / "pretest.yaml", folder / "posttest.yaml"]
    return {path: path.read_text() for path in paths if path.exists()}


def _prompt(question):
    return " ".join(question.prompt.lower().split())


def test_two_days_with_enough_modules(spec):
    assert [day.number for day in spec.days] == [1, 2]
    levels = [module.level for module in spec.modules]
    if spec.key == "casom-basic":
        assert sum(level in ("core", "introductory") for level in levels) >= 8
        assert levels.count("advanced") >= 3
    else:
        assert len(levels) >= 6


def test_each_module_has_measurable_objectives_and_enough_lessons(spec):
    for module in spec.modules:
        assert 3 <= len(module.objectives) <= 6, module.key
        for objective in module.objectives:
            assert not objective.text.lower().startswith(UNMEASURABLE), objective.text
        assert 2 <= len(module.lessons) <= 5, module.key
        words = sum(len(lesson.markdown.split()) + len(lesson.title.split()) for lesson in module.lessons)
        assert 1200 <= words <= 3000, (module.key, words)


def test_every_lesson_ends_with_sources(spec):
    for path, text in _lesson_sources(spec).items():
        headings = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
        assert headings and headings[-1].strip() == "Sources", path
        assert re.search(r"^## Sources\s*\n(\s*\n)*- ", text, flags=re.MULTILINE), path


def test_at_least_half_the_modules_include_a_case_scenario(spec):
    with_scenario = [module.key for module in spec.modules
                     if any("## Case scenario" in lesson.markdown for lesson in module.lessons)]
    assert len(with_scenario) * 2 >= len(spec.modules)


def test_quiz_banks(spec):
    for module in spec.modules:
        quiz = module.quiz
        assert quiz is not None and len(quiz.questions) >= 10 and quiz.draw == 8, module.key
        types = {question.type for question in quiz.questions}
        assert types == {"single", "multiple", "true_false"}, module.key
        measured = {question.objective for question in quiz.questions}
        assert measured == {objective.key for objective in module.objectives}, module.key
        for question in quiz.questions:
            assert len(question.explanation.split()) >= 8, question.key
            correct = sum(choice.correct for choice in question.choices)
            assert correct == 1 if question.type != "multiple" else correct >= 2, question.key


def test_parallel_pre_and_post_tests_of_twenty_items(spec):
    assert len(spec.pretest.questions) == len(spec.posttest.questions) == 20
    for before, after in zip(spec.pretest.questions, spec.posttest.questions, strict=True):
        assert before.objective == after.objective
        assert before.prompt != after.prompt
    assert spec.posttest.pass_mark is not None


@pytest.mark.parametrize("track", ["introductory", "advanced"])
def test_each_day_is_six_to_seven_hours_on_every_track(spec, track):
    for day in spec.days:
        minutes = sum(module.minutes for module in day.modules if is_required(module.level, track))
        assert 360 <= minutes <= 420, (spec.key, track, day.number, minutes)
    assert spec.credit_hours >= 12


def test_credit_hours_do_not_exceed_the_instruction_time_of_any_track(spec):
    hours = {track: sum(module.minutes for module in spec.modules if is_required(module.level, track)) / 60
             for track in ("introductory", "advanced")}
    shortest = min(hours.values())
    assert shortest - 1 < spec.credit_hours <= shortest, (spec.key, spec.credit_hours, hours)


def test_no_unverified_or_corrected_facts(spec):
    sources = {**_lesson_sources(spec), **_question_sources(spec)}
    assert any(path.name == "posttest.yaml" for path in sources), spec.key
    for path, text in sources.items():
        flat = " ".join(text.split())  # YAML folds long lines; a phrase may span two of them
        for phrase, reason in FORBIDDEN_FACTS:
            assert phrase not in flat, f"{path}: {phrase!r} ({reason})"


@pytest.mark.parametrize("key", KEYS)
def test_pre_and_post_test_prompts_do_not_repeat_module_quiz_prompts(key):
    # A learner who met the question in a module quiz answers it from memory: the gain would be inflated.
    spec = load_curriculum(CURRICULA / key)
    quiz_prompts = {(module.key, question.key): _prompt(question)
                    for module in spec.modules for question in module.quiz.questions}
    for test in (spec.pretest, spec.posttest):
        for question in test.questions:
            for (module_key, quiz_key), prompt in quiz_prompts.items():
                ratio = difflib.SequenceMatcher(None, _prompt(question), prompt).ratio()
                assert ratio < NEAR_IDENTICAL, (question.key, module_key, quiz_key, round(ratio, 2))


SHARED_RUN_WORDS = 20  # shorter runs are lists and titles both take from the reference, word for word


def _word_runs(key):
    """{run of SHARED_RUN_WORDS words: lesson file} over a curriculum's lesson text, Sources left out."""
    runs = {}
    for path in sorted((CURRICULA / key).rglob("*.md")):
        words = re.findall(r"[\w§\u2019'.-]+", path.read_text(encoding="utf-8").split("## Sources")[0].lower())
        for start in range(len(words) - SHARED_RUN_WORDS + 1):
            runs.setdefault(" ".join(words[start:start + SHARED_RUN_WORDS]), path.relative_to(CURRICULA))
    return runs


def test_the_two_curricula_share_no_lesson_text():
    """Issue 4: where the curricula share a topic, each says it its own way for its own audience."""
    basic, tribal = _word_runs("casom-basic"), _word_runs("indian-country")
    shared = sorted(set(basic) & set(tribal))
    assert shared == [], [(str(basic[run]), str(tribal[run]), run) for run in shared[:5]]

"""evaluation.yaml: the fixture's survey loads; each malformed file is reported as path:line."""

import shutil

import pytest

from lms.curricula.loader import load_curriculum
from lms.curricula.specs import InvalidCurriculum
from tests.conftest import FIXTURE_CURRICULUM


def _copy_fixture(tmp_path):
    target = tmp_path / "fixture-course"
    shutil.copytree(FIXTURE_CURRICULUM / "fixture-course", target)
    return target


def _problems(course, evaluation_text):
    (course / "evaluation.yaml").write_text(evaluation_text)
    with pytest.raises(InvalidCurriculum) as raised:
        load_curriculum(course)
    return [str(problem).split("fixture-course/", 1)[1] for problem in raised.value.problems]


def test_fixture_evaluation_loads_groups_items_and_questions():
    spec = load_curriculum(FIXTURE_CURRICULUM / "fixture-course").evaluation
    assert [(g.title, g.day, g.module) for g in spec.groups] == [
        ("The course as a whole", None, None), ("Day 1: First day", 1, None),
        ("Module basics", None, "basics")]
    assert [item.key for item in spec.items] == [
        "overall-satisfied", "day-1-relevant", "day-1-trainer", "basics-clear", "basics-apply"]
    assert spec.items[0].text == "Overall, I am satisfied with this training."
    assert [q.key for q in spec.questions] == ["most-useful", "least-useful", "what-to-change"]


def test_the_evaluation_file_is_part_of_the_version(tmp_path):
    course = _copy_fixture(tmp_path)
    before = load_curriculum(course).version
    survey = course / "evaluation.yaml"
    survey.write_text(survey.read_text().replace("What was most useful?", "What helped most?"))
    assert load_curriculum(course).version != before


def test_without_the_evaluation_key_there_is_no_survey(tmp_path):
    course = _copy_fixture(tmp_path)
    top = course / "curriculum.yaml"
    top.write_text(top.read_text().replace("evaluation: evaluation.yaml\n", ""))
    assert load_curriculum(course).evaluation is None


def test_a_missing_evaluation_file_is_reported(tmp_path):
    course = _copy_fixture(tmp_path)
    (course / "evaluation.yaml").unlink()
    with pytest.raises(InvalidCurriculum) as raised:
        load_curriculum(course)
    assert [str(p).split("fixture-course/", 1)[1] for p in raised.value.problems] == [
        "curriculum.yaml:8: evaluation: file evaluation.yaml not found"]


def test_every_problem_of_a_malformed_evaluation_with_its_line(tmp_path):
    course = _copy_fixture(tmp_path)
    problems = _problems(course, """\
groups:
  - day: 3
    items:
      - key: Day-Three
        text: Day three was useful.
  - module: basics
    day: 1
    items:
      - key: shared
        text: Basics were clear.
  - module: basics
    items: []
  - items:
      - key: no-title
        text: A group about nothing in particular needs a title.
  - module: newcomers
    items:
      - key: long
        text: "%s"
      - key: shared
        text: Duplicate key.
      - key: odd
        text: Fine.
        weight: 2
      - just text
questions:
  - key: shared
    text: A question cannot reuse an item key.
  - key: blank
  - text: No key at all.
colour: blue
""" % ("x" * 501))
    assert problems == [
        "evaluation.yaml:31: colour: unknown field",
        "evaluation.yaml:2: groups[0].day: 3 is not a day of this curriculum (1 to 2)",
        "evaluation.yaml:4: groups[0].items[0].key: use lowercase letters, digits and dashes",
        "evaluation.yaml:6: groups[1]: name a day or a module, not both",
        "evaluation.yaml:11: groups[2].module: module 'basics' already has a group; put all its items in one",
        "evaluation.yaml:12: groups[2].items: must list at least one item",
        "evaluation.yaml:13: groups[3].title: is required",
        "evaluation.yaml:19: groups[4].items[0].text: must be at most 500 characters",
        "evaluation.yaml:20: groups[4].items[1].key: key 'shared' is used twice "
        "(item and question keys are unique in the file)",
        "evaluation.yaml:24: groups[4].items[2].weight: unknown field",
        "evaluation.yaml:25: groups[4].items[3]: must be a mapping with key and text",
        "evaluation.yaml:27: questions[0].key: key 'shared' is used twice "
        "(item and question keys are unique in the file)",
        "evaluation.yaml:29: questions[1].text: is required",
        "evaluation.yaml:30: questions[2].key: is required",
    ]


def test_an_empty_evaluation_and_invalid_yaml_are_reported(tmp_path):
    course = _copy_fixture(tmp_path)
    assert _problems(course, "groups: []\nquestions: []\n") == [
        "evaluation.yaml:1: groups: an evaluation needs at least one group of items or one question"]
    [broken] = _problems(course, "groups:\n  - day: 1\n   items: [\n")
    assert broken.startswith("evaluation.yaml:3: file: invalid YAML")

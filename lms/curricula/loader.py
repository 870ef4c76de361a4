"""Curriculum files -> validated specs. Pure: reads files, touches no database and no Flask.

Every problem is collected, never just the first, and reported as `path:line: field: message`.
"""

import hashlib
import os
import re
from pathlib import Path

from lms.core.sanitize import render_markdown
from lms.curricula.specs import (
    ChoiceSpec,
    CurriculumSpec,
    DaySpec,
    EvaluationGroupSpec,
    EvaluationItemSpec,
    EvaluationQuestionSpec,
    EvaluationSpec,
    InvalidCurriculum,
    LessonSpec,
    ModuleSpec,
    ObjectiveSpec,
    Problem,
    QuestionSpec,
    QuizSpec,
)
from lms.curricula.yamlfile import LineDict, LineList, YamlSyntaxError, parse_yaml

KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
LESSON_PREFIX = re.compile(r"^\d+[-_]")
LEVELS = ("core", "introductory", "advanced")
QUESTION_TYPES = ("single", "multiple", "true_false")
RESERVED_MODULE_KEYS = ("pretest", "posttest")
MIN_CHOICES = 3
CURRICULUM_FIELDS = {"key", "title", "summary", "credit_hours", "sequential_days", "pretest", "posttest", "days",
                     "evaluation"}
DAY_FIELDS = {"number", "title", "modules"}
MODULE_FIELDS = {"key", "title", "level", "minutes", "summary", "objectives", "lessons", "quiz"}
OBJECTIVE_FIELDS = {"key", "text"}
QUIZ_FIELDS = {"pass_mark", "max_attempts", "draw", "partial_credit", "time_limit_minutes", "questions"}
QUESTION_FIELDS = {"key", "type", "objective", "prompt", "choices", "answer", "explanation"}
CHOICE_FIELDS = {"key", "text", "correct"}
EVALUATION_FIELDS = {"groups", "questions"}
EVALUATION_GROUP_FIELDS = {"day", "module", "title", "items"}
EVALUATION_ENTRY_FIELDS = {"key", "text"}
EVALUATION_TEXT_MAX = 500
_MISSING = object()


def _display(path):
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def _display_from(folder, path):
    try:
        return Path(os.path.relpath(path, folder)).as_posix()
    except ValueError:
        return str(path)


class _File:
    """One file being read: its display path and the problems found in it."""

    def __init__(self, path, problems):
        self.path = Path(path)
        self.name = _display(path)
        self.problems = problems

    def problem(self, line, field, message):
        self.problems.append(Problem(self.name, line, field, message))

    def named_file_exists(self, line, field, path):
        """Whether `path`, named here at `line`, is a file; if not, the problem is reported at that line,
        where the author fixes it, rather than in a file that does not exist."""
        if Path(path).is_file():
            return True
        self.problem(line, field, f"file {_display_from(self.path.parent, path)} not found")
        return False

    def load_mapping(self, field="file"):
        if not self.path.is_file():
            self.problem(1, field, "file not found")
            return None
        try:
            data = parse_yaml(self.path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            self.problem(1, field, "file is not UTF-8 text")
            return None
        except YamlSyntaxError as error:
            self.problem(error.line, field, str(error))
            return None
        if not isinstance(data, LineDict):
            self.problem(1, field, "expected a mapping of fields at the top of the file")
            return None
        return data

    def known_fields(self, mapping, allowed, prefix=""):
        """Report fields the format does not define (often text cut short at an unquoted comma)."""
        for name in mapping:
            if name not in allowed:
                hint = " (if this is part of a text, put the whole text in quotes)" if " " in str(name) else ""
                self.problem(mapping.line_of(name), f"{prefix}{name}", f"unknown field{hint}")

    def get(self, mapping, name, kind, prefix="", required=True, default=None, check=None, message=None):
        """Read `mapping[name]` as `kind`, reporting a missing or mistyped value at its line."""
        label = f"{prefix}{name}"
        value = mapping.get(name, _MISSING)
        if value is _MISSING or value is None:
            if required:
                self.problem(mapping.line, label, "is required")
            return default
        if not _is_kind(value, kind):
            hint = " (YAML reads yes/no/true/false as true-or-false: put quotes around it)" \
                if kind is str and isinstance(value, bool) else ""
            self.problem(mapping.line_of(name), label, f"must be {_KIND_NAMES[kind]}{hint}")
            return default
        if check is not None and not check(value):
            self.problem(mapping.line_of(name), label, message or "has an invalid value")
            return default
        return value


_KIND_NAMES = {str: "text", int: "a whole number", bool: "true or false", float: "a number",
               list: "a list", dict: "a mapping"}


def _is_kind(value, kind):
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind is str:
        return isinstance(value, str) and value.strip() != ""
    if kind is list:
        return isinstance(value, LineList)
    if kind is dict:
        return isinstance(value, LineDict)
    return isinstance(value, kind)


def _is_key(value):
    return bool(KEY_PATTERN.match(value))


def load_curriculum(directory):
    """Read and validate one curriculum folder; raises InvalidCurriculum with every problem."""
    directory = Path(directory)
    problems = []
    spec = _read_curriculum(directory, problems)
    if problems:
        raise InvalidCurriculum(problems)
    return spec


def find_curriculum_dirs(path):
    """A curriculum folder itself, or every folder below `path` holding a curriculum.yaml."""
    path = Path(path)
    if (path / "curriculum.yaml").is_file():
        return [path]
    return sorted(child for child in path.iterdir() if (child / "curriculum.yaml").is_file()) if path.is_dir() else []


def load_all(path):
    """Validate every curriculum under `path`; raises InvalidCurriculum with all problems of all."""
    directories = find_curriculum_dirs(path)
    if not directories:
        raise InvalidCurriculum([Problem(_display(path), 1, "curriculum.yaml", "no curriculum found here")])
    specs, problems = [], []
    for directory in directories:
        try:
            specs.append(load_curriculum(directory))
        except InvalidCurriculum as error:
            problems.extend(error.problems)
    keys = [spec.key for spec in specs]
    for spec in specs:
        if keys.count(spec.key) > 1:
            problems.append(Problem(_display(Path(spec.source_dir) / "curriculum.yaml"), 1, "key",
                                    f"curriculum key {spec.key!r} is used by more than one folder"))
    if problems:
        raise InvalidCurriculum(problems)
    return specs


def _read_curriculum(directory, problems):
    top = _File(directory / "curriculum.yaml", problems)
    data = top.load_mapping()
    if data is None:
        return None
    files = [top.path]
    top.known_fields(data, CURRICULUM_FIELDS)
    key = top.get(data, "key", str, check=_is_key, message="use lowercase letters, digits and dashes")
    credit_hours = top.get(data, "credit_hours", float, check=lambda v: 0 < v <= 100,
                           message="must be more than 0 and at most 100")
    days = _read_days(directory, top, data, files)
    pretest = _read_test(directory, top, data, "pretest", days, files, required=False)
    posttest = _read_test(directory, top, data, "posttest", days, files, required=True)
    if pretest and posttest:
        _check_parallel_forms(pretest, posttest, problems)
    evaluation = _read_evaluation(directory, top, data, days, files)
    return CurriculumSpec(
        key=key,
        title=top.get(data, "title", str, default=""),
        summary=top.get(data, "summary", str, default="").strip(),
        credit_hours=credit_hours,
        sequential_days=top.get(data, "sequential_days", bool, required=False, default=True),
        days=days,
        pretest=pretest,
        posttest=posttest,
        version=_version(directory, files),
        source_dir=str(directory),
        files=[str(path) for path in files],
        evaluation=evaluation,
    )


def _read_days(directory, top, data, files):
    raw_days = top.get(data, "days", list, default=LineList())
    days, seen_modules = [], set()
    for index, raw in enumerate(raw_days):
        prefix = f"days[{index}]."
        if not isinstance(raw, LineDict):
            top.problem(raw_days.line_of(index), f"days[{index}]", "must be a mapping with number, title, modules")
            continue
        top.known_fields(raw, DAY_FIELDS, prefix)
        number = top.get(raw, "number", int, prefix, check=lambda v, i=index: v == i + 1,
                         message=f"days must be numbered in order starting at 1 (expected {index + 1})")
        title = top.get(raw, "title", str, prefix, default="")
        module_keys = top.get(raw, "modules", list, prefix, default=LineList(),
                              check=lambda v: len(v) > 0, message="must list at least one module")
        modules = []
        for position, module_key in enumerate(module_keys):
            line = module_keys.line_of(position)
            label = f"{prefix}modules[{position}]"
            if not isinstance(module_key, str) or not _is_key(module_key) or module_key in RESERVED_MODULE_KEYS:
                top.problem(line, label, "must be a module folder name (lowercase letters, digits, dashes)")
                continue
            if module_key in seen_modules:
                top.problem(line, label, f"module {module_key!r} is listed more than once")
                continue
            seen_modules.add(module_key)
            folder = directory / f"day-{index + 1}" / module_key
            if not _module_folder_exists(top, line, label, folder):
                continue
            module = _read_module(folder, top.problems, files)
            if module is not None:
                modules.append(module)
        days.append(DaySpec(number=number or index + 1, title=title, modules=modules))
    if not days and raw_days is not None:
        top.problem(data.line_of("days"), "days", "must list at least one day")
    return days


def _module_folder_exists(top, line, label, folder):
    """Whether the module folder named at `line` of curriculum.yaml holds a module.yaml; if not, says so there."""
    shown = _display_from(top.path.parent, folder)
    if not folder.is_dir():
        top.problem(line, label, f"module folder {shown} not found")
        return False
    if not (folder / "module.yaml").is_file():
        top.problem(line, label, f"module folder {shown} has no module.yaml")
        return False
    return True


def _read_module(folder, problems, files):
    source = _File(folder / "module.yaml", problems)
    data = source.load_mapping()
    if data is None:
        return None
    files.append(source.path)
    source.known_fields(data, MODULE_FIELDS)
    key = source.get(data, "key", str, check=lambda v: v == folder.name,
                     message=f"must equal the folder name {folder.name!r}")
    objectives = _read_objectives(source, data)
    lessons = _read_lessons(folder, source, data, files)
    quiz = None
    quiz_file = source.get(data, "quiz", str, required=False)
    if quiz_file and source.named_file_exists(data.line_of("quiz"), "quiz", folder / quiz_file):
        quiz = _read_quiz(folder / quiz_file, problems, files, _objective_resolver(objectives))
    return ModuleSpec(
        key=key or folder.name,
        title=source.get(data, "title", str, default=""),
        level=source.get(data, "level", str, check=lambda v: v in LEVELS,
                         message=f"must be one of {', '.join(LEVELS)}", default="core"),
        minutes=source.get(data, "minutes", int, check=lambda v: 0 < v <= 600,
                           message="must be between 1 and 600", default=0),
        summary=source.get(data, "summary", str, required=False, default="").strip(),
        objectives=objectives,
        lessons=lessons,
        quiz=quiz,
    )


def _read_objectives(source, data):
    raw = source.get(data, "objectives", list, default=LineList(),
                     check=lambda v: len(v) > 0, message="must list at least one objective")
    objectives, seen = [], set()
    for index, item in enumerate(raw):
        prefix = f"objectives[{index}]."
        if not isinstance(item, LineDict):
            source.problem(raw.line_of(index), f"objectives[{index}]", "must be a mapping with key and text")
            continue
        source.known_fields(item, OBJECTIVE_FIELDS, prefix)
        key = source.get(item, "key", str, prefix, check=_is_key, message="use lowercase letters, digits and dashes")
        text = source.get(item, "text", str, prefix)
        if key in seen:
            source.problem(item.line_of("key"), f"{prefix}key", f"objective key {key!r} is used twice")
        elif key and text:
            seen.add(key)
            objectives.append(ObjectiveSpec(key=key, text=text.strip()))
    return objectives


def _objective_resolver(objectives):
    keys = {objective.key for objective in objectives}
    return lambda value: value in keys


def _read_lessons(folder, source, data, files):
    raw = source.get(data, "lessons", list, default=LineList(),
                     check=lambda v: len(v) > 0, message="must list at least one lesson")
    lessons, seen = [], set()
    for index, name in enumerate(raw):
        label, line = f"lessons[{index}]", raw.line_of(index)
        if not isinstance(name, str) or not name.endswith(".md") or "/" in name:
            source.problem(line, label, "must be a Markdown file name in the module folder")
            continue
        key = LESSON_PREFIX.sub("", name[:-3])
        if not _is_key(key):
            source.problem(line, label, "after its number, the file name must use lowercase letters, digits, dashes")
            continue
        if key in seen:
            source.problem(line, label, f"lesson key {key!r} is used twice")
            continue
        seen.add(key)
        if not source.named_file_exists(line, label, folder / name):
            continue
        lesson = _read_lesson(folder / name, key, source.problems)
        if lesson is not None:
            files.append(folder / name)
            lessons.append(lesson)
    return lessons


def _read_lesson(path, key, problems):
    source = _File(path, problems)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        source.problem(1, "lesson", "file is not UTF-8 text")
        return None
    title, body, title_line = _split_title(text)
    if title is None:
        source.problem(title_line, "title", "the first line must be the lesson title as '# Title'")
        return None
    return LessonSpec(
        key=key,
        title=title,
        markdown=body,
        body_html=render_markdown(body),
        source_hash=hashlib.sha256(text.encode()).hexdigest(),
        word_count=len(body.split()),
    )


def _split_title(text):
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if line.startswith("# ") and line[2:].strip():
            return line[2:].strip(), "\n".join(lines[number:]).strip() + "\n", number
        return None, None, number
    return None, None, 1


def _read_test(directory, top, data, name, days, files, required):
    file_name = top.get(data, name, str, required=required)
    if not file_name or not top.named_file_exists(data.line_of(name), name, directory / file_name):
        return None
    objectives = {f"{module.key}/{objective.key}" for day in days for module in day.modules
                  for objective in module.objectives}
    return _read_quiz(directory / file_name, top.problems, files, lambda value: value in objectives,
                      objective_hint="module-key/objective-key naming a module objective",
                      pass_mark_required=name == "posttest")


def _read_quiz(path, problems, files, objective_exists, objective_hint="one of the module's objective keys",
               pass_mark_required=True):
    source = _File(path, problems)
    data = source.load_mapping()
    if data is None:
        return None
    files.append(path)
    source.known_fields(data, QUIZ_FIELDS)
    raw_questions = source.get(data, "questions", list, default=LineList(),
                               check=lambda v: len(v) > 0, message="must list at least one question")
    questions = _read_questions(source, raw_questions, objective_exists, objective_hint)
    draw = source.get(data, "draw", int, required=False, check=lambda v: v >= 1, message="must be at least 1")
    if draw is not None and draw > len(raw_questions):
        source.problem(data.line_of("draw"), "draw", f"draws {draw} questions but the bank has {len(raw_questions)}")
    return QuizSpec(
        path=source.name,
        pass_mark=source.get(data, "pass_mark", int, required=pass_mark_required,
                             check=lambda v: 0 <= v <= 100, message="must be a percentage from 0 to 100"),
        max_attempts=source.get(data, "max_attempts", int, required=False,
                                check=lambda v: v >= 1, message="must be at least 1, or null for unlimited"),
        draw=draw,
        partial_credit=source.get(data, "partial_credit", bool, required=False, default=False),
        time_limit_minutes=source.get(data, "time_limit_minutes", int, required=False,
                                      check=lambda v: 1 <= v <= 600, message="must be between 1 and 600"),
        questions=questions,
    )


def _read_questions(source, raw_questions, objective_exists, objective_hint):
    questions, keys, prompts = [], set(), set()
    for index, raw in enumerate(raw_questions):
        prefix = f"questions[{index}]."
        if not isinstance(raw, LineDict):
            source.problem(raw_questions.line_of(index), f"questions[{index}]", "must be a mapping")
            continue
        source.known_fields(raw, QUESTION_FIELDS, prefix)
        key = source.get(raw, "key", str, prefix, check=_is_key, message="use lowercase letters, digits and dashes")
        if key in keys:
            source.problem(raw.line_of("key"), f"{prefix}key", f"question key {key!r} is used twice")
        keys.add(key)
        prompt = source.get(raw, "prompt", str, prefix, default="").strip()
        normalized = " ".join(prompt.lower().split())
        if normalized and normalized in prompts:
            source.problem(raw.line_of("prompt"), f"{prefix}prompt", "duplicates another question's prompt")
        prompts.add(normalized)
        question_type = source.get(raw, "type", str, prefix, check=lambda v: v in QUESTION_TYPES,
                                   message=f"must be one of {', '.join(QUESTION_TYPES)}")
        objective = source.get(raw, "objective", str, prefix, check=objective_exists,
                               message=f"must be {objective_hint}")
        explanation = source.get(raw, "explanation", str, prefix, default="").strip()
        choices = _read_choices(source, raw, question_type, prefix)
        if key and question_type and choices is not None:
            questions.append(QuestionSpec(key=key, type=question_type, prompt=prompt, explanation=explanation,
                                          objective=objective, choices=choices, line=raw.line))
    return questions


def _read_choices(source, raw, question_type, prefix):
    if question_type == "true_false":
        if "choices" in raw:
            source.problem(raw.line_of("choices"), f"{prefix}choices", "true_false takes `answer`, not choices")
        answer = source.get(raw, "answer", bool, prefix)
        if answer is None:
            return None
        return [ChoiceSpec("true", "True", answer is True), ChoiceSpec("false", "False", answer is False)]
    raw_choices = source.get(raw, "choices", list, prefix, default=LineList())
    choices, keys = [], set()
    for index, item in enumerate(raw_choices):
        label = f"{prefix}choices[{index}]"
        if not isinstance(item, LineDict):
            source.problem(raw_choices.line_of(index), label, "must be a mapping with key, text and correct")
            continue
        source.known_fields(item, CHOICE_FIELDS, f"{label}.")
        key = source.get(item, "key", str, f"{label}.", check=_is_key, message="use lowercase letters and digits")
        text = source.get(item, "text", str, f"{label}.")
        if key in keys:
            source.problem(item.line_of("key"), f"{label}.key", f"choice key {key!r} is used twice")
        keys.add(key)
        correct = source.get(item, "correct", bool, f"{label}.", required=False, default=False)
        if key and text:
            choices.append(ChoiceSpec(key=key, text=str(text).strip(), correct=correct))
    _check_choice_counts(source, raw, question_type, choices, prefix)
    return choices


def _check_choice_counts(source, raw, question_type, choices, prefix):
    line, label = raw.line_of("choices"), f"{prefix}choices"
    correct = sum(choice.correct for choice in choices)
    if len(choices) < MIN_CHOICES:
        source.problem(line, label, f"needs at least {MIN_CHOICES} choices")
    if question_type == "single" and correct != 1:
        source.problem(line, label, f"exactly one choice must be correct (found {correct})")
    if question_type == "multiple" and correct < 2:
        source.problem(line, label, f"multiple-response needs at least two correct choices (found {correct})")
    if question_type == "multiple" and correct == len(choices) and choices:
        source.problem(line, label, "at least one choice must be wrong")


def _check_parallel_forms(pretest, posttest, problems):
    if len(pretest.questions) != len(posttest.questions):
        problems.append(Problem(posttest.path, 1, "questions",
                                f"the post-test has {len(posttest.questions)} items but the pre-test has "
                                f"{len(pretest.questions)}; parallel forms need the same number"))
        return
    for number, (before, after) in enumerate(zip(pretest.questions, posttest.questions, strict=True), start=1):
        if before.objective != after.objective:
            problems.append(Problem(posttest.path, after.line, f"questions[{number - 1}].objective",
                                    f"item {number} measures {after.objective!r} but pre-test item {number} "
                                    f"measures {before.objective!r}"))
        if " ".join(before.prompt.lower().split()) == " ".join(after.prompt.lower().split()):
            problems.append(Problem(posttest.path, after.line, f"questions[{number - 1}].prompt",
                                    f"item {number} repeats the pre-test question; write a parallel one"))


def _listed_module_keys(data):
    """Every module key curriculum.yaml lists under its days, whether or not its folder loaded."""
    raw_days = data.get("days")
    keys = set()
    for day in raw_days if isinstance(raw_days, LineList) else ():
        modules = day.get("modules") if isinstance(day, LineDict) else None
        keys.update(key for key in (modules if isinstance(modules, LineList) else ()) if isinstance(key, str))
    return keys


def _read_evaluation(directory, top, data, days, files):
    file_name = top.get(data, "evaluation", str, required=False)
    if not file_name or not top.named_file_exists(data.line_of("evaluation"), "evaluation", directory / file_name):
        return None
    source = _File(directory / file_name, top.problems)
    raw = source.load_mapping()
    if raw is None:
        return None
    files.append(source.path)
    source.known_fields(raw, EVALUATION_FIELDS)
    raw_groups = source.get(raw, "groups", list, required=False, default=LineList())
    raw_questions = source.get(raw, "questions", list, required=False, default=LineList())
    keys = set()
    groups = _read_evaluation_groups(source, raw_groups, days, _listed_module_keys(data), keys)
    questions = _read_evaluation_entries(source, raw_questions, "questions", keys)
    if not raw_groups and not raw_questions:
        source.problem(raw.line, "groups", "an evaluation needs at least one group of items or one question")
    return EvaluationSpec(path=source.name, groups=groups,
                          questions=[EvaluationQuestionSpec(key, text) for key, text in questions])


def _read_evaluation_groups(source, raw_groups, days, module_keys, keys):
    day_titles = {day.number: day.title for day in days}
    module_titles = {module.key: module.title for day in days for module in day.modules}
    groups, seen = [], set()
    for index, raw in enumerate(raw_groups):
        label = f"groups[{index}]"
        if not isinstance(raw, LineDict):
            source.problem(raw_groups.line_of(index), label, "must be a mapping with day or module, and items")
            continue
        prefix = f"{label}."
        source.known_fields(raw, EVALUATION_GROUP_FIELDS, prefix)
        day = source.get(raw, "day", int, prefix, required=False)
        if day is not None and day not in day_titles:
            source.problem(raw.line_of("day"), f"{prefix}day",
                           f"{day} is not a day of this curriculum ({_day_range(day_titles)})")
            day = None
        module = source.get(raw, "module", str, prefix, required=False)
        if module is not None and module not in module_keys:
            source.problem(raw.line_of("module"), f"{prefix}module",
                           f"{module!r} is not a module of this curriculum (see the days in curriculum.yaml)")
            module = None
        if "day" in raw and "module" in raw:
            source.problem(raw.line, label, "name a day or a module, not both")
        title = source.get(raw, "title", str, prefix, required="day" not in raw and "module" not in raw,
                           default="")
        for subject in (("day", day), ("module", module)):
            if subject[1] is not None and subject in seen:
                source.problem(raw.line_of(subject[0]), f"{prefix}{subject[0]}",
                               f"{subject[0]} {subject[1]!r} already has a group; put all its items in one")
            seen.add(subject)
        if not title and day is not None:
            title = f"Day {day}: {day_titles[day]}"
        elif not title and module is not None:
            title = module_titles.get(module, module)
        raw_items = source.get(raw, "items", list, prefix, default=LineList(),
                               check=lambda v: len(v) > 0, message="must list at least one item")
        items = _read_evaluation_entries(source, raw_items, f"{prefix}items", keys)
        groups.append(EvaluationGroupSpec(title=title.strip(), items=[EvaluationItemSpec(k, t) for k, t in items],
                                          day=day, module=module))
    return groups


def _day_range(day_titles):
    return f"1 to {max(day_titles)}" if day_titles else "no days found"


def _read_evaluation_entries(source, raw_entries, label, keys):
    """[(key, text)] of the items or questions listed at `label`; keys are unique in the whole file."""
    entries = []
    for index, raw in enumerate(raw_entries):
        entry = f"{label}[{index}]"
        if not isinstance(raw, LineDict):
            source.problem(raw_entries.line_of(index), entry, "must be a mapping with key and text")
            continue
        source.known_fields(raw, EVALUATION_ENTRY_FIELDS, f"{entry}.")
        key = source.get(raw, "key", str, f"{entry}.", check=_is_key,
                         message="use lowercase letters, digits and dashes")
        text = source.get(raw, "text", str, f"{entry}.", check=lambda v: len(v.strip()) <= EVALUATION_TEXT_MAX,
                          message=f"must be at most {EVALUATION_TEXT_MAX} characters")
        if key in keys:
            source.problem(raw.line_of("key"), f"{entry}.key",
                           f"key {key!r} is used twice (item and question keys are unique in the file)")
            continue
        if key:
            keys.add(key)
        if key and text:
            entries.append((key, " ".join(text.split())))
    return entries


def _version(directory, files):
    digest = hashlib.sha256()
    for path in sorted(set(files)):
        digest.update(str(Path(path).relative_to(directory)).encode())
        digest.update(b"\0")
        digest.update(Path(path).read_bytes() if Path(path).is_file() else b"")
        digest.update(b"\0")
    return digest.hexdigest()

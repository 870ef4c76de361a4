"""What the curriculum files say, as plain validated values (no database, no Flask)."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    field: str
    message: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


@dataclass
class ChoiceSpec:
    key: str
    text: str
    correct: bool


@dataclass
class QuestionSpec:
    key: str
    type: str
    prompt: str
    explanation: str
    objective: str
    choices: list[ChoiceSpec]
    line: int = 1


@dataclass
class QuizSpec:
    path: str
    pass_mark: int | None
    max_attempts: int | None
    draw: int | None
    partial_credit: bool
    time_limit_minutes: int | None
    questions: list[QuestionSpec]


@dataclass
class ObjectiveSpec:
    key: str
    text: str


@dataclass
class LessonSpec:
    key: str
    title: str
    markdown: str
    body_html: str
    source_hash: str
    word_count: int


@dataclass
class ModuleSpec:
    key: str
    title: str
    level: str
    minutes: int
    summary: str
    objectives: list[ObjectiveSpec]
    lessons: list[LessonSpec]
    quiz: QuizSpec | None


@dataclass
class DaySpec:
    number: int
    title: str
    modules: list[ModuleSpec]


@dataclass
class EvaluationItemSpec:
    """A statement rated on the five-point agreement scale."""

    key: str
    text: str


@dataclass
class EvaluationGroupSpec:
    """Items about one day, one module, or (neither) the course as a whole."""

    title: str
    items: list[EvaluationItemSpec]
    day: int | None = None
    module: str | None = None


@dataclass
class EvaluationQuestionSpec:
    """An open question answered in free text."""

    key: str
    text: str


@dataclass
class EvaluationSpec:
    path: str
    groups: list[EvaluationGroupSpec]
    questions: list[EvaluationQuestionSpec]

    @property
    def items(self):
        return [item for group in self.groups for item in group.items]


@dataclass
class CurriculumSpec:
    key: str
    title: str
    summary: str
    credit_hours: float
    sequential_days: bool
    days: list[DaySpec]
    pretest: QuizSpec | None
    posttest: QuizSpec | None
    version: str
    source_dir: str = ""
    files: list[str] = field(default_factory=list)
    #: the end-of-course survey (evaluation.yaml), if the curriculum has one
    evaluation: EvaluationSpec | None = None

    @property
    def modules(self):
        return [module for day in self.days for module in day.modules]


class InvalidCurriculum(Exception):
    """Raised with every problem found, so authors can fix them all in one pass."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))

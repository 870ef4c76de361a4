"""Every model, imported in one place so Alembic and the app see the whole schema."""

from lms.auth.models import User  # noqa: F401
from lms.certificates.models import Certificate  # noqa: F401
from lms.cohorts.models import Attendance, CheckInWindow, Cohort, CohortTrainer, Invitation  # noqa: F401
from lms.core.audit import AuditEvent  # noqa: F401
from lms.curricula.models import Choice, Curriculum, Day, Lesson, Module, Objective, Question, Quiz  # noqa: F401
from lms.evaluations.models import EvaluationAnswer, EvaluationItem, EvaluationReceipt, EvaluationResponse  # noqa: F401
from lms.learning.models import Enrollment, LessonProgress  # noqa: F401
from lms.quizzes.models import Answer, Attempt, AttemptGrant  # noqa: F401

from sqlalchemy import func, select

from lms.auth.models import User
from lms.extensions import db
from lms.learning.models import Enrollment


def test_demo_accounts_are_created_once_and_enrolled(runner, curriculum):
    first = runner.invoke(args=["demo", "accounts"])
    assert first.exit_code == 0, first.output
    assert "trainee@example.org" in first.output and "password: casom-demo-2026" in first.output
    second = runner.invoke(args=["demo", "accounts"])
    assert "already present" in second.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 4
    tracks = dict(db.session.execute(select(User.email, Enrollment.track).join(Enrollment,
                                                                                Enrollment.user_id == User.id)).all())
    assert tracks == {"trainee@example.org": "introductory", "advanced@example.org": "advanced"}
    roles = dict(db.session.execute(select(User.email, User.role)).all())
    assert roles["trainer@example.org"] == "trainer" and roles["admin@example.org"] == "admin"


def test_demo_accounts_are_refused_outside_development(app, runner):
    app.config["DEMO_ACCOUNTS_ALLOWED"] = False
    result = runner.invoke(args=["demo", "accounts"])
    assert result.exit_code == 1 and "development only" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0

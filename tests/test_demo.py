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


def test_the_printed_password_works_even_for_accounts_made_with_an_older_one(app, runner, curriculum):
    from lms.auth.operations import authenticate

    runner.invoke(args=["demo", "accounts"])
    app.config["DEMO_PASSWORD"] = "a-newer-demo-passphrase"
    again = runner.invoke(args=["demo", "accounts"])
    assert again.exit_code == 0, again.output
    assert "password: a-newer-demo-passphrase" in again.output and "changed to this for 4 account(s)" in again.output
    db.session.expire_all()
    for email in ("trainee@example.org", "advanced@example.org", "trainer@example.org", "admin@example.org"):
        assert authenticate(email, "a-newer-demo-passphrase") is not None, email
        assert authenticate(email, "casom-demo-2026") is None, email
    unchanged = runner.invoke(args=["demo", "accounts"])
    assert "changed to this" not in unchanged.output


def test_a_demo_password_breaking_the_rule_is_refused_and_changes_nothing(app, runner):
    app.config["DEMO_PASSWORD"] = "short"
    result = runner.invoke(args=["demo", "accounts"])
    assert result.exit_code == 1
    assert "LMS_DEMO_PASSWORD cannot be used: Use at least 12 characters" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0

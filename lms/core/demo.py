"""`flask demo accounts`: the development demo accounts, refused outside development."""

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from lms.auth import operations as accounts
from lms.auth.models import Role
from lms.curricula.models import Curriculum
from lms.extensions import db
from lms.learning import operations as learning
from lms.learning.models import Track

demo_cli = AppGroup("demo", help="Development demo data.")

DEMO_ACCOUNTS = (
    # email, name, role, track enrolled in every curriculum (None: not enrolled)
    ("trainee@example.org", "Dana Whitfield", Role.TRAINEE, Track.INTRODUCTORY),
    ("advanced@example.org", "Marcus Ortega", Role.TRAINEE, Track.ADVANCED),
    ("trainer@example.org", "Renee Blackfeather", Role.TRAINER, None),
    ("admin@example.org", "Sam Keller", Role.ADMIN, None),
)


def ensure_demo_accounts(password):
    """Create the demo accounts that are missing and enroll the trainees; returns the emails created."""
    created = []
    curricula = db.session.scalars(select(Curriculum)).all()
    for email, name, role, track in DEMO_ACCOUNTS:
        user = accounts.find_user_by_email(email)
        if user is None:
            user = accounts.create_user(email=email, password=password, name=name, role=role,
                                        agency="Demo County Probation", discipline="Probation",
                                        jurisdiction="Demo County")
            created.append(email)
        if track is not None:
            for curriculum in curricula:
                learning.enroll(user, curriculum, track)
    return created


@demo_cli.command("accounts")
def demo_accounts_command():
    """Create the demo accounts (development only) and print how to log in."""
    if not current_app.config.get("DEMO_ACCOUNTS_ALLOWED"):
        raise click.ClickException("Demo accounts exist in development only (LMS_ENV=development).")
    password = current_app.config["DEMO_PASSWORD"]
    created = ensure_demo_accounts(password)
    db.session.commit()
    click.echo("Demo accounts" + (f" (created {len(created)})" if created else " (already present)") + ":")
    for email, _name, role, track in DEMO_ACCOUNTS:
        suffix = f", {track.value} track" if track else ""
        click.echo(f"  {email:<24} {role.value}{suffix}")
    click.echo(f"  password: {password}")

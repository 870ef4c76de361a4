"""`flask users ...`: make staff accounts from the command line."""

import click
from flask.cli import AppGroup

from lms.auth import operations
from lms.auth.models import Role
from lms.core.errors import DomainError
from lms.extensions import db

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice([role.value for role in Role]), default=Role.TRAINEE.value)
@click.option("--agency", default="")
@click.password_option(help="At least 12 characters; prompted if not given.")
def create_user_command(email, name, role, agency, password):
    """Create an account with any role (open registration makes trainees only)."""
    try:
        user = operations.create_user(email=email, password=password, name=name, role=role, agency=agency)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created {user.role} {user.email} (id {user.id}).")

"""`flask users ...`: make staff accounts, turn off two-step verification, lift a lockout, move
two-step verification secrets to a new sealing key."""

import click
from flask.cli import AppGroup
from sqlalchemy import select

from lms.auth import lockout, mfa, operations, sealing
from lms.auth.models import Role, User
from lms.core.errors import DomainError
from lms.extensions import db

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice([role.value for role in Role]), default=Role.TRAINEE.value)
@click.option("--agency", default="")
@click.password_option(help="12 to 128 characters, not a common password; prompted if not given.")
def create_user_command(email, name, role, agency, password):
    """Create an account with any role (open registration makes trainees only)."""
    try:
        user = operations.create_user(email=email, password=password, name=name, role=role, agency=agency)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created {user.role} {user.email} (id {user.id}).")


@users_cli.command("disable-mfa")
@click.option("--email", required=True)
def disable_mfa_command(email):
    """Turn off two-step verification of an account whose owner lost their phone and recovery codes.
    Check who is asking first; a trainer or administrator must turn it on again before any staff page."""
    user = operations.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account has the email address {email}.")
    try:
        mfa.disable(None, user, reason="command_line")
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Two-step verification is off for {user.email}; they can set it up again after logging in.")


@users_cli.command("unlock")
@click.option("--email", required=True)
def unlock_command(email):
    """Let a locked-out account sign in again now (someone kept failing to sign in as it). For the day
    every administrator is locked out; an administrator can also unlock from the account's page."""
    user = operations.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account has the email address {email}.")
    was_locked = lockout.is_locked(user.email)
    lockout.unlock(None, user)
    db.session.commit()
    click.echo(f"{user.email} can sign in again." if was_locked else
               f"{user.email} was not locked; earlier failed sign-ins no longer count.")


@users_cli.command("reseal-mfa")
def reseal_mfa_command():
    """Seal every two-step verification secret with the first key of LMS_MFA_KEYS. To change the
    key: put the new key first and keep the old one after it, run this, then drop the old key."""
    users = db.session.scalars(select(User).where(User.mfa_secret_sealed.is_not(None))).all()
    try:
        for user in users:
            user.mfa_secret_sealed = sealing.reseal(user.mfa_secret_sealed)
    except sealing.UnsealError as error:
        db.session.rollback()
        raise click.ClickException(f"{error} Nothing was changed.") from None
    db.session.commit()
    click.echo(f"{len(users)} two-step verification secret(s) sealed with the current key.")

"""`flask demo accounts` (the demo accounts) and `flask demo generate` (cohorts of trainees with a
history, lms.demo), both refused outside development."""

import random
import time
from typing import NamedTuple

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select, text

from lms.auth import operations as accounts
from lms.auth import passwords
from lms.auth.models import Role
from lms.curricula.models import Curriculum
from lms.demo.generator import GenerationRefused, cohort_sizes, generate
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


class DemoAccounts(NamedTuple):
    created: list
    #: accounts that existed with another password and now have the configured one
    password_reset: list


def ensure_demo_accounts(password):
    """Create the missing demo accounts, give every demo account `password` and enroll the trainees.
    Raises WeakPassword, changing nothing, if `password` breaks the password rule."""
    passwords.check_new_password(password)
    created, password_reset = [], []
    curricula = db.session.scalars(select(Curriculum)).all()
    for email, name, role, track in DEMO_ACCOUNTS:
        user = accounts.find_user_by_email(email)
        if user is None:
            user = accounts.create_user(email=email, password=password, name=name, role=role,
                                        agency="Demo County Probation", discipline="Probation",
                                        jurisdiction="Demo County")
            created.append(email)
        elif not user.check_password(password):
            user.set_password(password)
            user.end_all_sessions()
            password_reset.append(email)
        if track is not None:
            for curriculum in curricula:
                learning.enroll(user, curriculum, track)
    return DemoAccounts(created, password_reset)


@demo_cli.command("accounts")
def demo_accounts_command():
    """Create the demo accounts (development only), set their password to LMS_DEMO_PASSWORD, and
    print how to log in."""
    if not current_app.config.get("DEMO_ACCOUNTS_ALLOWED"):
        raise click.ClickException("Demo accounts exist in development only (LMS_ENV=development).")
    password = current_app.config["DEMO_PASSWORD"]
    try:
        result = ensure_demo_accounts(password)
    except passwords.WeakPassword as error:
        db.session.rollback()
        raise click.ClickException(f"LMS_DEMO_PASSWORD cannot be used: {error}") from None
    db.session.commit()
    click.echo("Demo accounts" + (f" (created {len(result.created)})" if result.created else " (already present)")
               + ":")
    for email, _name, role, track in DEMO_ACCOUNTS:
        suffix = f", {track.value} track" if track else ""
        click.echo(f"  {email:<24} {role.value}{suffix}")
    click.echo(f"  password: {password}")
    if result.password_reset:
        click.echo(f"  (changed to this for {len(result.password_reset)} account(s) that had another password)")


def _sizes_option(value):
    if not value:
        return None
    try:
        sizes = [int(part) for part in value.split(",") if part.strip()]
    except ValueError:
        raise click.BadParameter("give cohort sizes as whole numbers separated by commas, e.g. 100,1000") from None
    if not sizes or min(sizes) < 1:
        raise click.BadParameter("every cohort needs at least one trainee")
    return sizes


@demo_cli.command("generate")
@click.option("--cohorts", default=50, show_default=True, type=click.IntRange(1, 100000), help="Cohorts to create.")
@click.option("--trainees", default=10000, show_default=True, type=click.IntRange(1, 10000000),
              help="Trainees, spread over the cohorts.")
@click.option("--sizes", help="Exact cohort sizes instead, e.g. 100,1000,10000 (overrides --cohorts/--trainees).")
@click.option("--curriculum", "curriculum_keys", multiple=True,
              help="Use only this curriculum (repeatable); default: every imported curriculum, in turn.")
@click.option("--seed", default=2026, show_default=True,
              help="Same seed and tag, same people and histories (codes and time stamps differ).")
@click.option("--tag", help="Marks the generated emails and cohort names (default: random).")
@click.option("--delivery", type=click.Choice(["in_person", "online", "blended"]),
              help="Every cohort's delivery mode (default: a realistic mix).")
@click.option("--upcoming", is_flag=True, help="In-person cohorts that have not begun: enrolled, nothing done yet.")
def demo_generate_command(cohorts, trainees, sizes, curriculum_keys, seed, tag, delivery, upcoming):
    """Generate cohorts of trainees with a realistic history (development only; curricula first)."""
    started = time.perf_counter()
    if not current_app.config.get("DEMO_ACCOUNTS_ALLOWED"):
        raise click.ClickException("Generated demo data exists in development only (LMS_ENV=development).")
    try:
        sizes = _sizes_option(sizes) or cohort_sizes(cohorts, trainees, random.Random(seed))
        summary = generate(sizes=sizes, password=current_app.config["DEMO_PASSWORD"],
                           curriculum_keys=curriculum_keys, seed=seed, tag=tag, upcoming=upcoming,
                           delivery=delivery)
    except GenerationRefused as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    # Fresh statistics for the query planner after a bulk load: SQLite never gathers them by itself
    # and then drives the item-analysis join from the quiz instead of the cohort (docs/performance.md).
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    click.echo(f"Generated {len(summary.cohorts)} cohorts and {sum(size for *_, size, _ in summary.cohorts)} "
               f"trainees (tag {summary.tag}) in {time.perf_counter() - started:.1f} s, curricula: "
               f"{', '.join(summary.curricula)}.")
    for table, count in summary.rows.items():
        click.echo(f"  {table:<16} {count:>9}")
    click.echo(f"  every generated account's password: {current_app.config['DEMO_PASSWORD']}")

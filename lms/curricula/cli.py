"""`flask curricula validate|import`: check the files, then load them in one transaction."""

import click
from flask import current_app
from flask.cli import AppGroup

from lms.curricula.loader import load_all
from lms.curricula.operations import import_curricula
from lms.curricula.specs import InvalidCurriculum
from lms.extensions import db

curricula_cli = AppGroup("curricula", help="Validate and import curriculum files.")


def _path_argument():
    return click.argument("path", required=False, type=click.Path(exists=True, file_okay=False))


def _load_or_exit(path, consequence=""):
    """The validated specs; or every problem printed, then `consequence` after the count, and exit 1."""
    try:
        return load_all(path or current_app.config["LMS_CURRICULA_DIR"])
    except InvalidCurriculum as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(error.problems)} problem(s) found{consequence}.", err=True)
        raise SystemExit(1) from None


@curricula_cli.command("validate")
@_path_argument()
def validate_command(path):
    """Check curriculum files and report every problem as path:line: field: message."""
    specs = _load_or_exit(path)
    for spec in specs:
        click.echo(f"{spec.key}: valid ({len(spec.modules)} modules, version {spec.version[:12]})")


@curricula_cli.command("import")
@_path_argument()
def import_command(path):
    """Validate, then import curricula in one transaction (all or nothing)."""
    specs = _load_or_exit(path, consequence="; nothing was imported")
    try:
        results = import_curricula(specs)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    for result in results:
        click.echo(str(result))

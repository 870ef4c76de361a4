"""`flask certificates issue-missing`: backfill certificates for completed enrollments."""

import click
from flask.cli import AppGroup

from lms.certificates.operations import issue_missing_certificates
from lms.extensions import db

certificates_cli = AppGroup("certificates", help="Certificate maintenance.")


@certificates_cli.command("issue-missing")
def issue_missing_command():
    """Issue certificates for completed enrollments that have none, and list them."""
    issued = issue_missing_certificates()
    db.session.commit()
    for certificate in issued:
        click.echo(f"issued {certificate.display_code} to {certificate.learner_name} ({certificate.curriculum_title})")
    click.echo(f"{len(issued)} certificate(s) issued.")

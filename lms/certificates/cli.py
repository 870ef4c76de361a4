"""`flask certificates issue-missing`: record completions the current rules allow, and backfill
certificates for completed enrollments."""

import click
from flask.cli import AppGroup

from lms.certificates.backfill import backfill_completions_and_certificates
from lms.extensions import db

certificates_cli = AppGroup("certificates", help="Certificate maintenance.")


@certificates_cli.command("issue-missing")
def issue_missing_command():
    """Record completions the current curriculum rules allow, issue the missing certificates, list them."""
    done = backfill_completions_and_certificates()
    db.session.commit()
    for certificate in done.certificates:
        click.echo(f"issued {certificate.display_code} to {certificate.learner_name} ({certificate.curriculum_title})")
    click.echo(f"{len(done.completions)} completion(s) recorded.")
    click.echo(f"{len(done.certificates)} certificate(s) issued.")

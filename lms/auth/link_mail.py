"""The emails that carry a one-time "set your password" link: a password reset (asked for by the
person, or sent by an administrator) and a cohort invitation. The link is the only secret in them;
the raw token exists nowhere else once the message has gone."""

from flask import current_app, url_for

from lms.core.mail import send_mail


def password_link_url(token):
    """The absolute address of a one-time link, for a message read outside the site."""
    return current_app.config["LMS_BASE_URL"].rstrip("/") + url_for("auth.set_password", token=token)


def send_reset_link(user, token, lifetime):
    send_mail(user.email, "Set a new password for CASOM LMS", f"""Hello {user.name},

A new password was asked for the CASOM LMS account {user.email}. To choose one, open this link
within {_duration(lifetime)}:

{password_link_url(token)}

The link works once. If you did not ask for it, you can ignore this email: your password stays as
it is.
""")


def invitation_message(email, name, url, lifetime, cohort_name):
    """(to, subject, body) of a roster invitation, for lms.core.mail.send_many."""
    return (email, f"You are invited to {cohort_name} on CASOM LMS", f"""Hello {name},

Your trainer has enrolled you in "{cohort_name}" on CASOM LMS, the training site of the
Comprehensive Approaches to Sex Offender Management program. To choose your password and start,
open this link within {_duration(lifetime)}:

{url}

The link works once. Your sign-in name is this email address, {email}.
""")


def _duration(lifetime):
    hours = int(lifetime.total_seconds() // 3600)
    if hours % 24 == 0 and hours >= 48:
        return f"{hours // 24} days"
    return f"{hours} hours" if hours != 1 else "1 hour"

"""Email through the SMTP server named by MAIL_SERVER. Without one the app sends nothing, and every
page that would have emailed a link shows the link to the person who asked for it instead.

Messages are plain text (they carry one link each) and are sent during the request: a site sends a
few dozen a day, and the sender learns at once when the server refused one.
"""

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app


class MailNotSent(Exception):
    """The SMTP server could not be reached or refused the message."""


def mail_configured():
    return bool(current_app.config.get("MAIL_SERVER"))


def send_mail(to, subject, body):
    """Send one plain-text message to `to`; raises MailNotSent (and logs why) if it did not go."""
    config = current_app.config
    message = _message(config, to, subject, body)
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT_SECONDS"]) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls(context=ssl.create_default_context())
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as error:
        current_app.logger.warning("mail to %r not sent: %s", to, error)
        raise MailNotSent(f"The email to {to} could not be sent.") from error


def _message(config, to, subject, body):
    # EmailMessage's default policy refuses line breaks in headers, so no value can add a header.
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="casom-lms")
    message.set_content(body)
    return message

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
    if not send_many([(to, subject, body)])[0]:
        raise MailNotSent(f"The email to {to} could not be sent.")


def send_many(messages):
    """Send (to, subject, body) messages over one connection; a list saying, for each, whether the
    server took it. A refused address fails only its own message; a server that cannot be reached
    fails them all. Failures are logged."""
    config = current_app.config
    sent = [False] * len(messages)
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT_SECONDS"]) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls(context=ssl.create_default_context())
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            for number, (to, subject, body) in enumerate(messages):
                sent[number] = _send_one(smtp, config, to, subject, body)
    except (smtplib.SMTPException, OSError) as error:
        current_app.logger.warning("mail server %s not usable: %s", config["MAIL_SERVER"], error)
    return sent


def _send_one(smtp, config, to, subject, body):
    try:
        smtp.send_message(_message(config, to, subject, body))
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as error:
        current_app.logger.warning("mail to %r refused: %s", to, error)
        return False
    return True


def _message(config, to, subject, body):
    # EmailMessage's default policy refuses line breaks in headers, so no value can add a header.
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="casom-lms")
    message.set_content(body)
    return message

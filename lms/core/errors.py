"""Domain errors and the error pages."""

from flask import render_template
from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    """A rule of the domain refused the request; the message is safe to show."""

    status_code = 400


class NotAllowed(DomainError):
    status_code = 403


class InvalidState(DomainError):
    status_code = 409


class Withdrawn(DomainError):
    """The thing asked for existed and was withdrawn (HTTP 410 Gone)."""

    status_code = 410


ERROR_TITLES = {
    400: ("Bad request", "The request could not be understood. Please go back and try again."),
    403: ("Not allowed", "You do not have permission to open this page."),
    404: ("Page not found", "We could not find that page. It may have moved or never existed."),
    405: ("Not allowed", "That action cannot be done this way."),
    409: ("Cannot do that now", "That action does not fit the current state. Reload the page and try again."),
    410: ("No longer available", "What this page offered has been withdrawn."),
    413: ("Too large", "What you sent is larger than we accept."),
    429: ("Too many attempts", "You have tried this too many times. Please wait a minute and try again."),
    500: ("Something went wrong", "An unexpected error happened on our side. It has been logged; please try again."),
}


def render_error(status, message=None):
    title, default_message = ERROR_TITLES.get(status, ERROR_TITLES[500])
    return render_template("errors/error.html", status=status, title=title,
                           message=message or default_message), status


def register_error_pages(app):
    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code is None or error.code < 400:
            return error
        message = None
        if error.code == 400 and getattr(error, "description", None) and "CSRF" in error.description:
            message = "Your form expired or was sent from another site. Please reload the page and try again."
        response, status = render_error(error.code, message)
        return response, status, _extra_headers(error)

    @app.errorhandler(DomainError)
    def domain_error(error):
        return render_error(error.status_code, str(error))

    @app.errorhandler(Exception)
    def unexpected_error(error):
        app.logger.exception("Unhandled error")
        from lms.extensions import db

        db.session.rollback()
        return render_error(500)


def _extra_headers(error):
    headers = {}
    if error.code == 429:
        headers["Retry-After"] = "60"
    return headers

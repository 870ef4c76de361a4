"""Access checks in one place: role decorators, safe redirects, response headers."""

from functools import wraps
from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, request, url_for
from flask_login import current_user, login_required

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


#: headers of a page that shows a secret (a one-time link, recovery codes): kept out of every
#: cache, and its address (which may hold the token) out of Referer headers
SECRET_PAGE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
MFA_REQUIRED_MESSAGE = ("Your role requires two-step verification. Turn it on to open trainer and "
                        "administration pages.")


def role_required(*roles):
    """Allow the view only to logged-in users holding one of `roles`; others get 403 (audited).
    A trainer or administrator must also have two-step verification on (ASVS 2.x for staff):
    without it they are sent to set it up first."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            from lms.auth import mfa  # lms.auth imports this module

            if current_user.role not in roles:
                _record_denied(roles)
                abort(403)
            if mfa.enrollment_required(current_user):
                flash(MFA_REQUIRED_MESSAGE, "info")
                back = request.full_path.rstrip("?") if request.method == "GET" else None
                return redirect(url_for("auth.mfa_setup", next=back))
            return view(*args, **kwargs)

        return wrapped

    return decorator


def _record_denied(roles):
    from lms.core import audit
    from lms.extensions import db

    audit.record("access.denied", actor=current_user, target=f"page:{request.path}"[:128], outcome="denied",
                 endpoint=request.endpoint, method=request.method, role=current_user.role,
                 required=",".join(sorted(str(role) for role in roles)))
    db.session.commit()


def safe_next_url(target):
    """Return `target` if it is a path on this site, else None (no scheme, no host, no //)."""
    if not target:
        return None
    target = target.strip().replace("\\", "/")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def register_security_headers(app):
    @app.after_request
    def add_security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if current_app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response

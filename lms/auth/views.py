"""Log in (with its second step), log out, register, set a password from a link, re-enter a password."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from lms.auth import link_mail, lockout, mfa, operations, passwords, reset, sessions
from lms.auth.forms import (
    ForgotPasswordForm,
    LoginForm,
    ReauthenticateForm,
    RegistrationForm,
    SecondStepForm,
    SetPasswordForm,
)
from lms.auth.models import User, user_from_session_id
from lms.core import audit, database, mail
from lms.core.security import SECRET_PAGE_HEADERS, safe_next_url
from lms.extensions import db, limiter, login_manager

bp = Blueprint("auth", __name__, template_folder="templates")


@login_manager.user_loader
def load_user(session_id):
    return user_from_session_id(session_id)


@bp.before_app_request
def enforce_session_limits():
    return sessions.enforce_limits()


def _login_limit():
    return current_app.config["LOGIN_LIMIT"]


def _mfa_limit():
    return current_app.config["MFA_LIMIT"]


def _submitted_email():
    return "login-account:" + operations.normalize_email(request.form.get("email", ""))


def _pending_account():
    pending = sessions.pending_second_step()
    return f"mfa-account:{pending[0] if pending else 'none'}"


def _current_account():
    return f"reauth-account:{current_user.get_id() if current_user.is_authenticated else 'none'}"


def _failed(response):
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(_login_limit, methods=["POST"], key_func=_submitted_email, deduct_when=_failed)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("learning.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        email = operations.normalize_email(form.email.data)
        # The password hash takes tens of milliseconds: on SQLite, check it in a read transaction,
        # so that a class logging in at once does not queue on the write lock behind each hash.
        database.read_first()
        locked = lockout.is_locked(email)
        user = None if locked else operations.authenticate(email, form.password.data)
        db.session.rollback()  # end the read; the writes below take the write lock
        if locked:
            lockout.record_refused("auth.login", email)
            db.session.commit()
            form.password.errors.append(lockout.LOCKED_MESSAGE)
            return render_template("auth/login.html", form=form)
        if user is None:
            lockout.record_failure("auth.login", email)
            db.session.commit()
            form.password.errors.append("The email or password is not correct.")
            return render_template("auth/login.html", form=form)
        next_url = safe_next_url(request.args.get("next"))
        if user.mfa_enabled:
            sessions.await_second_step(user, next_url)
            return redirect(url_for("auth.login_second_step"))
        sessions.begin(user)
        audit.record("auth.login", actor=user, target=f"user:{user.id}")
        db.session.commit()
        return redirect(next_url or url_for("learning.dashboard"))
    return render_template("auth/login.html", form=form)


@bp.route("/login/verify", methods=["GET", "POST"])
@limiter.limit(_mfa_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(_mfa_limit, methods=["POST"], key_func=_pending_account, deduct_when=_failed)
def login_second_step():
    """The second step of a login with two-step verification: a TOTP code or a recovery code."""
    if current_user.is_authenticated:
        return redirect(url_for("learning.dashboard"))
    pending = sessions.pending_second_step()
    user = db.session.get(User, pending[0]) if pending else None
    if user is None or not user.active or user.session_version != pending[1] or not user.mfa_enabled:
        sessions.drop_pending_second_step()
        flash("Log in with your email address and password first.", "info")
        return redirect(url_for("auth.login"))
    form = SecondStepForm()
    if form.validate_on_submit():
        if lockout.is_locked(user.email):
            sessions.drop_pending_second_step()
            lockout.record_refused("auth.mfa_verify", user.email)
            db.session.commit()
            flash(lockout.LOCKED_MESSAGE, "error")
            return redirect(url_for("auth.login"))
        method = mfa.verify(user, form.code.data)
        if method is None:
            lockout.record_failure("auth.mfa_verify", user.email)
            db.session.commit()
            form.code.errors.append("That code is not correct, or was already used. Try the newest code.")
            return render_template("auth/login_second_step.html", form=form), 400
        sessions.begin(user)
        audit.record("auth.login", actor=user, target=f"user:{user.id}", mfa=method)
        db.session.commit()
        if method == mfa.RECOVERY_CODE:
            _recovery_code_notice(user)
        return redirect(pending[2] or url_for("learning.dashboard"))
    return render_template("auth/login_second_step.html", form=form), 400 if form.errors else 200


def _recovery_code_notice(user):
    left = mfa.unused_recovery_codes(user)
    flash(f"You used a recovery code; {left} left. If you lost your phone, turn two-step verification "
          "off and on again in your account settings to move it to a new one.", "info" if left > 2 else "error")


@bp.route("/reauthenticate", methods=["GET", "POST"])
@login_required
@limiter.limit(_login_limit, methods=["POST"], key_func=_current_account, deduct_when=_failed)
def reauthenticate():
    """Re-enter the password (and a code, with two-step verification) before a sensitive change."""
    next_url = safe_next_url(request.args.get("next")) or url_for("auth.account")
    form = ReauthenticateForm()
    user = current_user._get_current_object()
    if form.validate_on_submit():
        if lockout.is_locked(user.email):
            lockout.record_refused("auth.reauthenticate", user.email, actor=user)
            db.session.commit()
            form.password.errors.append(lockout.LOCKED_MESSAGE)
        elif not user.check_password(form.password.data):
            lockout.record_failure("auth.reauthenticate", user.email, actor=user, step="password")
            db.session.commit()
            form.password.errors.append("That password is not correct.")
        elif user.mfa_enabled and not mfa.verify(user, form.code.data or ""):
            lockout.record_failure("auth.reauthenticate", user.email, actor=user, step="mfa")
            db.session.commit()
            form.code.errors.append("Enter a current code from your authenticator app, or a recovery code.")
        else:
            sessions.mark_fresh()
            audit.record("auth.reauthenticate", actor=user, target=f"user:{user.id}")
            db.session.commit()
            return redirect(next_url)
    return render_template("auth/reauthenticate.html", form=form, next_url=next_url), 400 if form.errors else 200


@bp.post("/logout")
@login_required
def logout():
    current_user.end_all_sessions()
    audit.record("auth.logout", actor=current_user, target=f"user:{current_user.id}")
    db.session.commit()
    sessions.end()
    flash("You have been logged out.", "info")
    return redirect(url_for("curricula.catalog"))


def _register_limit():
    return current_app.config["REGISTER_LIMIT"]


def _registered_email():
    return "register-account:" + operations.normalize_email(request.form.get("email", ""))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"])
@limiter.limit(_register_limit, methods=["POST"], key_func=_registered_email)
def register():
    if current_user.is_authenticated:
        return redirect(url_for("learning.dashboard"))
    form = RegistrationForm()
    if form.validate_on_submit():
        try:
            user = operations.register_trainee(
                email=form.email.data, password=form.password.data, name=form.name.data,
                agency=form.agency.data, discipline=form.discipline.data, jurisdiction=form.jurisdiction.data,
            )
        except operations.EmailTaken as error:
            db.session.rollback()
            form.email.errors.append(str(error))
        except passwords.WeakPassword as error:
            db.session.rollback()
            form.password.errors.append(str(error))
        else:
            audit.record("auth.register", actor=user, target=f"user:{user.id}")
            db.session.commit()
            sessions.begin(user)
            flash("Welcome. Your account is ready: choose a curriculum to begin.", "success")
            return redirect(url_for("curricula.catalog"))
    return render_template("auth/register.html", form=form)


def _reset_limit():
    return current_app.config["PASSWORD_RESET_LIMIT"]


def _reset_limit_per_address():
    return current_app.config["PASSWORD_RESET_IP_LIMIT"]


def _reset_email():
    return "reset-account:" + operations.normalize_email(request.form.get("email", ""))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_reset_limit_per_address, methods=["POST"])
@limiter.limit(_reset_limit, methods=["POST"], key_func=_reset_email)
def forgot_password():
    """Ask for a one-hour link by email. The answer is the same whether or not an account uses the
    address, so the page cannot be used to find out who has an account."""
    if not mail.mail_configured():
        return render_template("auth/forgot_password.html", form=None)
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return render_template("auth/forgot_password.html", form=form), 400 if form.errors else 200
    found = operations.reset_link_for_email(form.email.data)
    if found:
        _email_reset_link(*found)
    db.session.commit()
    return render_template("auth/forgot_password_sent.html", email=operations.normalize_email(form.email.data),
                           lifetime=reset.SELF_SERVICE_LINK_LIFETIME)


def _email_reset_link(user, token):
    try:
        link_mail.send_reset_link(user, token, reset.SELF_SERVICE_LINK_LIFETIME)
    except mail.MailNotSent:
        # Undo the link (earlier links keep working) and keep the failure on record for admins.
        db.session.rollback()
        audit.record("auth.password_reset_requested", actor=user, target=f"user:{user.id}", outcome="failure",
                     reason="the email could not be sent")


def _link_token():
    # The token's hash, so the limiter's storage (Redis) never holds a usable link.
    return "password-link:" + reset.hash_token(request.view_args.get("token"))


@bp.route("/password/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(_login_limit, methods=["POST"], key_func=_link_token, deduct_when=_failed)
def set_password(token):
    """A one-time link (password reset or invitation): choose a new password."""
    try:
        user = reset.usable_link_owner(token)
    except reset.PasswordLinkNotUsable as error:
        return _no_store(render_template("auth/reset_unusable.html", message=str(error)), error.status_code)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            reset.redeem_password_link(token, form.password.data)
        except reset.PasswordLinkNotUsable as error:
            db.session.rollback()
            return _no_store(render_template("auth/reset_unusable.html", message=str(error)), error.status_code)
        except passwords.WeakPassword as error:
            db.session.rollback()
            form.password.errors.append(str(error))
            return _no_store(render_template("auth/reset_password.html", form=form, email=user.email), 400)
        db.session.commit()
        if current_user.is_authenticated and current_user.id == user.id:
            sessions.end()
        flash("Your password is set. Log in with your email address and the new password.", "success")
        return redirect(url_for("auth.login"))
    status = 400 if form.errors else 200
    return _no_store(render_template("auth/reset_password.html", form=form, email=user.email), status)


def _no_store(html, status):
    # The token is in the address: keep the page out of caches and out of Referer headers.
    return html, status, SECRET_PAGE_HEADERS


# The account settings pages attach their routes to this blueprint.
from lms.auth import account_views  # noqa: E402, F401

"""Log in, log out, register."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from lms.auth import operations
from lms.auth.forms import LoginForm, RegistrationForm
from lms.auth.models import user_from_session_id
from lms.core import audit
from lms.core.security import safe_next_url
from lms.extensions import db, limiter, login_manager

bp = Blueprint("auth", __name__, template_folder="templates")


@login_manager.user_loader
def load_user(session_id):
    return user_from_session_id(session_id)


def _login_limit():
    return current_app.config["LOGIN_LIMIT"]


def _submitted_email():
    return "login-account:" + operations.normalize_email(request.form.get("email", ""))


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
        user = operations.authenticate(form.email.data, form.password.data)
        if user is None:
            audit.record("auth.login", target=f"email:{operations.normalize_email(form.email.data)}",
                         outcome="failure")
            db.session.commit()
            form.password.errors.append("The email or password is not correct.")
        else:
            login_user(user)
            audit.record("auth.login", actor=user, target=f"user:{user.id}")
            db.session.commit()
            return redirect(safe_next_url(request.args.get("next")) or url_for("learning.dashboard"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    current_user.end_all_sessions()
    audit.record("auth.logout", actor=current_user, target=f"user:{current_user.id}")
    db.session.commit()
    logout_user()
    flash("You have been logged out.", "info")
    return redirect(url_for("curricula.catalog"))


def _register_limit():
    return current_app.config["REGISTER_LIMIT"]


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"])
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
        else:
            audit.record("auth.register", actor=user, target=f"user:{user.id}")
            db.session.commit()
            login_user(user)
            flash("Welcome. Your account is ready: choose a curriculum to begin.", "success")
            return redirect(url_for("curricula.catalog"))
    return render_template("auth/register.html", form=form)

"""Administration pages: dashboard, users and their accounts, curriculum imports, the audit log.
Every page is for admins only; every change is a POST with a CSRF token, and is audited."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, logout_user

from lms.admin import operations, queries
from lms.admin.forms import (
    ROLE_LABELS,
    AuditFilterForm,
    DeactivateForm,
    EndSessionsForm,
    PasswordLinkForm,
    ReactivateForm,
    RoleForm,
    TimeAccommodationForm,
    UnlockForm,
    UserSearchForm,
)
from lms.auth import link_mail, lockout
from lms.auth.models import Role, User
from lms.auth.reset import RESET_LINK_LIFETIME
from lms.core import mail
from lms.core.errors import DomainError
from lms.core.security import SECRET_PAGE_HEADERS, role_required
from lms.extensions import db
from lms.learning.models import TRACK_LABELS

bp = Blueprint("admin", __name__, template_folder="templates", url_prefix="/admin")

#: each action form has a prefix so that field ids stay unique on the account page
ACTION_FORMS = {
    "role_form": (RoleForm, "role"),
    "accommodation_form": (TimeAccommodationForm, "accommodation"),
    "deactivate_form": (DeactivateForm, "deactivate"),
    "reactivate_form": (ReactivateForm, "reactivate"),
    "sessions_form": (EndSessionsForm, "sessions"),
    "link_form": (PasswordLinkForm, "link"),
    "unlock_form": (UnlockForm, "unlock"),
}


@bp.get("/")
@role_required(Role.ADMIN)
def home():
    return render_template("admin/dashboard.html", counts=queries.dashboard_counts(), role_labels=ROLE_LABELS)


@bp.get("/users")
@role_required(Role.ADMIN)
def users():
    form = UserSearchForm(request.args)
    if not form.validate():
        return render_template("admin/users.html", form=form, page=None, filters={}, role_labels=ROLE_LABELS), 400
    filters = {name: value for name, value in
               (("q", (form.q.data or "").strip()), ("role", form.role.data), ("status", form.status.data)) if value}
    page = queries.search_users(filters.get("q"), filters.get("role"), filters.get("status"),
                                page=request.args.get("page", 1, type=int))
    return render_template("admin/users.html", form=form, page=page, filters=filters, role_labels=ROLE_LABELS)


@bp.get("/users/<int:user_id>")
@role_required(Role.ADMIN)
def user_detail(user_id):
    return _user_page(_user_or_404(user_id))


@bp.post("/users/<int:user_id>/role")
@role_required(Role.ADMIN)
def change_role(user_id):
    user = _user_or_404(user_id)
    form = _action_form("role_form")
    if not form.validate_on_submit():
        return _user_page(user, 400, role_form=form)
    try:
        changed = operations.change_role(current_user, user, form.role.data)
    except DomainError as error:
        return _refused(user, "role_form", form, form.role, error)
    db.session.commit()
    if not changed:
        flash(f"{user.name} already has the role {ROLE_LABELS[user.role]}; nothing changed.", "info")
    elif user.id == current_user.id:
        flash(f"Your role is now {ROLE_LABELS[user.role]}. You no longer have the administration pages.", "success")
        return redirect(url_for("learning.dashboard"))
    else:
        flash(f"{user.name} is now {ROLE_LABELS[user.role].lower()}.", "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.post("/users/<int:user_id>/deactivate")
@role_required(Role.ADMIN)
def deactivate(user_id):
    user = _user_or_404(user_id)
    form = _action_form("deactivate_form")
    if not form.validate_on_submit():
        return _user_page(user, 400, deactivate_form=form)
    try:
        operations.deactivate_user(current_user, user)
    except DomainError as error:
        return _refused(user, "deactivate_form", form, form.submit, error)
    db.session.commit()
    flash(f"{user.name}'s account is deactivated and signed out everywhere.", "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.post("/users/<int:user_id>/reactivate")
@role_required(Role.ADMIN)
def reactivate(user_id):
    user = _user_or_404(user_id)
    form = _action_form("reactivate_form")
    if not form.validate_on_submit():
        return _user_page(user, 400, reactivate_form=form)
    try:
        operations.reactivate_user(current_user, user)
    except DomainError as error:
        return _refused(user, "reactivate_form", form, form.submit, error)
    db.session.commit()
    flash(f"{user.name}'s account is active again.", "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.post("/users/<int:user_id>/sessions/end")
@role_required(Role.ADMIN)
def end_sessions(user_id):
    user = _user_or_404(user_id)
    form = _action_form("sessions_form")
    if not form.validate_on_submit():
        return _user_page(user, 400, sessions_form=form)
    operations.end_user_sessions(current_user, user)
    db.session.commit()
    if user.id == current_user.id:
        logout_user()
        flash("You have been signed out everywhere, including here.", "info")
        return redirect(url_for("auth.login"))
    flash(f"{user.name} is signed out on every device.", "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.post("/users/<int:user_id>/unlock")
@role_required(Role.ADMIN)
def unlock(user_id):
    user = _user_or_404(user_id)
    form = _action_form("unlock_form")
    if not form.validate_on_submit():
        return _user_page(user, 400, unlock_form=form)
    operations.unlock_account(current_user, user)
    db.session.commit()
    flash(f"{user.name} can log in again: earlier failed attempts no longer count.", "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.post("/users/<int:user_id>/time-accommodation")
@role_required(Role.ADMIN)
def time_accommodation(user_id):
    user = _user_or_404(user_id)
    form = _action_form("accommodation_form")
    if not form.validate_on_submit():
        return _user_page(user, 400, accommodation_form=form)
    try:
        changed = operations.set_time_accommodation(current_user, user, form.factor.data)
    except DomainError as error:
        return _refused(user, "accommodation_form", form, form.factor, error)
    db.session.commit()
    if changed:
        flash(f"{user.name}'s quiz time limits are now multiplied by {user.time_accommodation:g}.", "success")
    else:
        flash("The time accommodation was already set to that; nothing changed.", "info")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.post("/users/<int:user_id>/password-link")
@role_required(Role.ADMIN)
def password_link(user_id):
    user = _user_or_404(user_id)
    form = _action_form("link_form")
    if not form.validate_on_submit():
        return _user_page(user, 400, link_form=form)
    try:
        token = operations.create_reset_link(current_user, user)
    except DomainError as error:
        return _refused(user, "link_form", form, form.submit, error)
    db.session.commit()
    html = render_template("admin/password_link.html", user=user, link=link_mail.password_link_url(token),
                           lifetime_hours=int(RESET_LINK_LIFETIME.total_seconds() // 3600),
                           emailed=_email_reset_link(user, token))
    # Shown once: the token is stored only as a hash, so the page must not be cached or replayed.
    return html, 200, SECRET_PAGE_HEADERS


def _email_reset_link(user, token):
    """True if the link went to the user by email, False if sending failed, None without MAIL_SERVER."""
    if not mail.mail_configured():
        return None
    try:
        link_mail.send_reset_link(user, token, RESET_LINK_LIFETIME)
    except mail.MailNotSent:
        return False
    return True


@bp.get("/imports")
@role_required(Role.ADMIN)
def imports():
    return render_template("admin/imports.html", curricula=queries.curriculum_import_status(),
                           events=queries.recent_import_events())


@bp.get("/audit")
@role_required(Role.ADMIN)
def audit_log():
    form = AuditFilterForm(request.args, actions=queries.audit_actions())
    if not form.validate():
        return render_template("admin/audit.html", form=form, page=None, filters={}), 400
    filters = {name: value for name, value in (
        ("actor", (form.actor.data or "").strip()), ("action", form.action.data),
        ("date_from", form.date_from.data and form.date_from.data.isoformat()),
        ("date_to", form.date_to.data and form.date_to.data.isoformat())) if value}
    page = queries.audit_events(filters.get("actor"), filters.get("action"), form.date_from.data,
                                form.date_to.data, page=request.args.get("page", 1, type=int))
    return render_template("admin/audit.html", form=form, page=page, filters=filters)


def _user_or_404(user_id):
    return db.session.get(User, user_id) or abort(404)


def _action_form(name, **data):
    form_class, prefix = ACTION_FORMS[name]
    return form_class(prefix=prefix, **data)


def _user_page(user, status=200, **forms):
    """The account page, with blank action forms except any given (re-rendered with their errors)."""
    defaults = {"role_form": {"role": user.role}, "accommodation_form": {"factor": user.time_accommodation}}
    for name, (form_class, prefix) in ACTION_FORMS.items():
        if name not in forms:
            forms[name] = form_class(formdata=None, prefix=prefix, **defaults.get(name, {}))
    html = render_template("admin/user_detail.html", user=user, enrollments=queries.enrollments_of(user.id),
                           role_labels=ROLE_LABELS, track_labels=TRACK_LABELS,
                           locked_until=lockout.locked_until(user.email),
                           failed_logins=lockout.failure_count(user.email), **forms)
    return html, status


def _refused(user, name, form, field, error):
    """A rule refused the action: nothing is kept, and the form shows why next to the control."""
    db.session.rollback()
    field.errors = [*field.errors, str(error)]
    return _user_page(db.session.get(User, user.id), error.status_code, **{name: form})

"""A person's own account: profile, password, email and two-step verification (routes on auth's blueprint)."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from lms.auth import mfa, operations, passwords, sessions
from lms.auth.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    DisableMfaForm,
    EnableMfaForm,
    ProfileForm,
    RecoveryCodesForm,
    StartMfaForm,
)
from lms.auth.sessions import fresh_login_required
from lms.auth.views import _current_account, _failed, _login_limit, bp
from lms.core.errors import DomainError
from lms.core.security import SECRET_PAGE_HEADERS, safe_next_url
from lms.extensions import db, limiter

#: each form on the account page has a prefix so that field ids stay unique there
FORM_PREFIXES = {"profile_form": "profile", "password_form": "password", "disable_form": "mfa-off",
                 "codes_form": "codes"}


def _user():
    return current_user._get_current_object()


def _account_page(status=200, **forms):
    user = _user()
    forms.setdefault("profile_form", ProfileForm(formdata=None, obj=user, prefix=FORM_PREFIXES["profile_form"]))
    for name, form_class in (("password_form", ChangePasswordForm), ("disable_form", DisableMfaForm),
                             ("codes_form", RecoveryCodesForm)):
        forms.setdefault(name, form_class(formdata=None, prefix=FORM_PREFIXES[name]))
    html = render_template("auth/account.html", user=user, recovery_codes_left=mfa.unused_recovery_codes(user),
                           mfa_required=user.is_staff, **forms)
    return html, status


@bp.get("/account")
@login_required
def account():
    return _account_page()


@bp.post("/account/profile")
@login_required
def update_profile():
    form = ProfileForm(prefix=FORM_PREFIXES["profile_form"])
    if not form.validate_on_submit():
        return _account_page(400, profile_form=form)
    changed = operations.update_profile(_user(), name=form.name.data, agency=form.agency.data,
                                        discipline=form.discipline.data, jurisdiction=form.jurisdiction.data)
    db.session.commit()
    flash("Your profile is saved." if changed else "Nothing changed.", "success" if changed else "info")
    return redirect(url_for("auth.account"))


@bp.post("/account/password")
@login_required
@limiter.limit(_login_limit, key_func=_current_account, deduct_when=_failed)
def change_password():
    form = ChangePasswordForm(prefix=FORM_PREFIXES["password_form"])
    if not form.validate_on_submit():
        return _account_page(400, password_form=form)
    user = _user()
    try:
        operations.change_password(user, form.current_password.data, form.password.data)
    except operations.WrongPassword as error:
        db.session.commit()  # keeps the audited failure, which counts toward the lockout
        form.current_password.errors.append(str(error))
        return _account_page(400, password_form=form)
    except passwords.WeakPassword as error:
        db.session.rollback()
        form.password.errors.append(str(error))
        return _account_page(400, password_form=form)
    db.session.commit()
    sessions.renew(user)
    flash("Your password is changed. Every other browser or device signed in to your account was signed out.",
          "success")
    return redirect(url_for("auth.account"))


@bp.route("/account/email", methods=["GET", "POST"])
@login_required
@fresh_login_required
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            operations.change_email(_user(), form.email.data)
        except operations.EmailTaken as error:
            db.session.rollback()
            form.email.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"Your email address is now {_user().email}. Use it to log in.", "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/change_email.html", form=form), 400 if form.errors else 200


@bp.route("/account/two-step", methods=["GET", "POST"])
@login_required
@fresh_login_required
def mfa_setup():
    """Turn on two-step verification: start (a new key), scan the QR code or type the key, confirm
    with a code. Reading the page never writes: the key is made by the start button (mfa_start)."""
    user = _user()
    next_url = safe_next_url(request.args.get("next"))
    if user.mfa_enabled:
        flash("Two-step verification is already on for your account.", "info")
        return redirect(next_url or url_for("auth.account"))
    if not user.mfa_secret:
        if request.method == "POST":
            return redirect(url_for("auth.mfa_setup", next=next_url))
        start_form = StartMfaForm(formdata=None, prefix="start")
        return render_template("auth/mfa_start.html", start_form=start_form, next_url=next_url)
    form = EnableMfaForm()
    if form.validate_on_submit():
        codes = mfa.enable(user, form.code.data)
        if codes is not None:
            db.session.commit()
            html = render_template("auth/recovery_codes.html", codes=codes, next_url=next_url, enabled=True)
            return html, 200, SECRET_PAGE_HEADERS
        db.session.rollback()
        form.code.errors.append("That code does not match. Check the app shows CASOM LMS with your email, "
                                "and enter the code it shows now.")
    uri = mfa.provisioning_uri(user, user.mfa_secret)
    qr_image, qr_size = mfa.qr_code(uri)
    html = render_template("auth/mfa_setup.html", form=form, qr_image=qr_image, qr_size=qr_size,
                           manual_key=mfa.grouped(user.mfa_secret), next_url=next_url,
                           start_form=StartMfaForm(formdata=None, prefix="start"))
    return html, 400 if form.errors else 200, SECRET_PAGE_HEADERS


@bp.post("/account/two-step/start")
@login_required
@fresh_login_required
def mfa_start():
    """Make a new key for the set-up (again: a key scanned by mistake into the wrong app is replaced)."""
    next_url = safe_next_url(request.args.get("next"))
    form = StartMfaForm(prefix="start")
    if not form.validate_on_submit():
        return redirect(url_for("auth.mfa_setup", next=next_url))
    try:
        mfa.start_enrollment(_user())
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "info")
        return redirect(next_url or url_for("auth.account"))
    db.session.commit()
    return redirect(url_for("auth.mfa_setup", next=next_url))


@bp.post("/account/two-step/off")
@login_required
@fresh_login_required
def mfa_disable():
    form = DisableMfaForm(prefix=FORM_PREFIXES["disable_form"])
    if not form.validate_on_submit():
        return _account_page(400, disable_form=form)
    try:
        mfa.disable(_user(), _user())
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "info")
        return redirect(url_for("auth.account"))
    db.session.commit()
    message = "Two-step verification is off, and your recovery codes no longer work."
    if _user().is_staff:
        message += " Your role requires it: set it up again before you open trainer or administration pages."
    flash(message, "success")
    return redirect(url_for("auth.account"))


@bp.post("/account/two-step/recovery-codes")
@login_required
@fresh_login_required
def mfa_recovery_codes():
    form = RecoveryCodesForm(prefix=FORM_PREFIXES["codes_form"])
    if not form.validate_on_submit():
        return _account_page(400, codes_form=form)
    try:
        codes = mfa.regenerate_recovery_codes(_user())
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "info")
        return redirect(url_for("auth.account"))
    db.session.commit()
    html = render_template("auth/recovery_codes.html", codes=codes, next_url=None, enabled=False)
    return html, 200, SECRET_PAGE_HEADERS

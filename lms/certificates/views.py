"""Certificate pages: the learner's certificate and downloads, public verification, the issuer's
published keys and status list, and the admin's revoke and reissue."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from lms.auth.models import Role, User
from lms.certificates import badge, operations, queries
from lms.certificates.forms import ReissueForm, RevokeForm, SearchForm, VerifyForm
from lms.certificates.pdf import render_certificate_pdf
from lms.core.errors import DomainError, Withdrawn
from lms.core.security import role_required
from lms.core.time import utcnow
from lms.extensions import db, limiter
from lms.learning.models import TRACK_LABELS
from lms.learning.queries import curriculum_by_id

bp = Blueprint("certificates", __name__, template_folder="templates")

VC_JWT_TYPES = ("application/vc+jwt", "application/jwt")


def _verify_limit():
    return current_app.config["VERIFY_LIMIT"]


def verify_url(certificate):
    return f"{current_app.config['LMS_BASE_URL'].rstrip('/')}/verify/{certificate.display_code}"


def _base_url():
    return current_app.config["LMS_BASE_URL"].rstrip("/")


def signing_key():
    key = current_app.extensions.get("ob_signing_key")
    if key is None:
        key = badge.load_signing_key(current_app.instance_path, current_app.config.get("OB_SIGNING_KEY"))
        current_app.extensions["ob_signing_key"] = key
    return key


def _viewable_certificate_or_404(code):
    """The certificate, if the current user is its holder or an admin (others get 404, not a hint)."""
    certificate = queries.certificate_by_code(code)
    if certificate is None or not (certificate.user_id == current_user.id or current_user.role == Role.ADMIN):
        abort(404)
    return certificate


@bp.get("/certificates/<code>")
@login_required
def certificate(code):
    certificate = _viewable_certificate_or_404(code)
    if code != certificate.display_code:
        return redirect(url_for("certificates.certificate", code=certificate.display_code), 301)
    return render_template("certificates/certificate.html", certificate=certificate, verify_url=verify_url(certificate),
                           replacement=queries.replacement_of(certificate), track_labels=TRACK_LABELS)


def _downloadable_certificate_or_error(code):
    """The certificate, as _viewable_certificate_or_404, unless it was revoked: a revoked
    certificate keeps its page (which says so) but no longer gives out a PDF or a badge that,
    copied away from the page, would look valid."""
    certificate = _viewable_certificate_or_404(code)
    if certificate.is_revoked:
        revoked_on = certificate.revoked_at.strftime("%B %-d, %Y")
        raise Withdrawn(f"Certificate {certificate.display_code} was revoked on {revoked_on} "
                        f"({certificate.revocation_label}). Its PDF and digital badge are no longer issued.")
    return certificate


@bp.get("/certificates/<code>/certificate.pdf")
@login_required
def certificate_pdf(code):
    certificate = _downloadable_certificate_or_error(code)
    pdf = render_certificate_pdf(certificate, verify_url(certificate))
    filename = f"{certificate.display_code}.pdf"
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private"})


@bp.get("/certificates/<code>/credential.jwt")
@login_required
def credential_jwt(code):
    certificate = _downloadable_certificate_or_error(code)
    curriculum = curriculum_by_id(certificate.curriculum_id)
    holder = db.session.get(User, certificate.user_id)
    payload = badge.credential(certificate, curriculum.key, curriculum.summary, _base_url(), holder.email)
    token = badge.sign_vc_jwt(payload, signing_key(), _base_url(), badge.OPEN_BADGE_JWT_TYPE)
    return Response(token, mimetype="application/vc+jwt", headers={
        "Content-Disposition": f'attachment; filename="{certificate.display_code}.jwt"', "Cache-Control": "private"})


@bp.get("/verify")
@limiter.limit(_verify_limit)
def verify_form():
    form = VerifyForm(request.args)
    if request.args and form.validate():
        return redirect(url_for("certificates.verify", code=form.code.data.strip()))
    return render_template("certificates/verify_form.html", form=form), (400 if form.errors else 200)


@bp.get("/verify/<code>")
@limiter.limit(_verify_limit)
def verify(code):
    certificate = queries.certificate_by_code(code)
    if certificate is None:
        return render_template("certificates/verify_not_found.html", code=code, form=VerifyForm()), 404
    if code != certificate.display_code:
        return redirect(url_for("certificates.verify", code=certificate.display_code), 301)
    return render_template("certificates/verify.html", certificate=certificate, track_labels=TRACK_LABELS)


@bp.get("/issuer")
def issuer():
    profile = badge.issuer_profile(_base_url())
    profile["publicKeys"] = url_for("certificates.issuer_jwks", _external=False)
    return jsonify(profile)


@bp.get(badge.JWKS_PATH)
def issuer_jwks():
    response = jsonify(badge.jwks(signing_key(), _base_url()))
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


@bp.get("/credentials/status/1")
def status_list():
    """The revocation list as JSON, or signed as a VC-JWT for a verifier that asks for one."""
    revoked, highest = queries.revoked_status_indexes()
    credential = badge.status_list_credential(_base_url(), revoked, highest, utcnow())
    if request.accept_mimetypes.best_match(["application/json", *VC_JWT_TYPES]) in VC_JWT_TYPES:
        token = badge.sign_vc_jwt(credential, signing_key(), _base_url(), badge.VC_JWT_TYPE)
        response = Response(token, mimetype="application/vc+jwt")
    else:
        response = jsonify(credential)
    response.vary.add("Accept")
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response


@bp.get("/admin/certificates")
@role_required(Role.ADMIN)
def admin_list():
    form = SearchForm(request.args)
    results = queries.search_certificates(form.q.data if form.validate() else "")
    return render_template("certificates/admin_list.html", form=form, certificates=results)


@bp.route("/admin/certificates/<code>", methods=["GET"])
@role_required(Role.ADMIN)
def admin_detail(code):
    certificate = queries.certificate_by_code(code) or abort(404)
    return render_template("certificates/admin_detail.html", certificate=certificate, revoke_form=RevokeForm(),
                           reissue_form=ReissueForm(name=certificate.learner_name), track_labels=TRACK_LABELS)


@bp.post("/admin/certificates/<code>/revoke")
@role_required(Role.ADMIN)
def admin_revoke(code):
    certificate = queries.certificate_by_code(code) or abort(404)
    form = RevokeForm()
    if not form.validate_on_submit():
        return _admin_detail_with_errors(certificate, revoke_form=form)
    try:
        operations.revoke_certificate(certificate, form.reason.data, current_user, form.note.data)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(f"Certificate {certificate.display_code} is revoked. The public page now says so.", "success")
    return redirect(url_for("certificates.admin_detail", code=certificate.display_code))


@bp.post("/admin/certificates/<code>/reissue")
@role_required(Role.ADMIN)
def admin_reissue(code):
    certificate = queries.certificate_by_code(code) or abort(404)
    form = ReissueForm()
    if not form.validate_on_submit():
        return _admin_detail_with_errors(certificate, reissue_form=form)
    try:
        replacement = operations.reissue_certificate(certificate, form.name.data, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("certificates.admin_detail", code=certificate.display_code))
    db.session.commit()
    flash(f"Issued {replacement.display_code}; {certificate.display_code} is marked superseded.", "success")
    return redirect(url_for("certificates.admin_detail", code=replacement.display_code))


def _admin_detail_with_errors(certificate, revoke_form=None, reissue_form=None):
    html = render_template("certificates/admin_detail.html", certificate=certificate,
                           revoke_form=revoke_form or RevokeForm(formdata=None),
                           reissue_form=reissue_form or ReissueForm(formdata=None, name=certificate.learner_name),
                           track_labels=TRACK_LABELS)
    return html, 400


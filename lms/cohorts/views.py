"""Trainer pages for cohorts (details, roster, attendance, progress, one learner's record), and
the learner's join and check-in pages. Every trainer page goes through managed_cohort_or_404."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import func, select

from lms.auth import link_mail
from lms.auth.models import Role, User
from lms.cohorts import grid as progress_grid
from lms.cohorts import operations
from lms.cohorts.access import managed_cohort_or_404, managed_cohorts_query
from lms.cohorts.forms import (
    AddLearnerForm,
    CheckInForm,
    CheckInWindowForm,
    CohortForm,
    JoinCodeForm,
    JoinForm,
    RosterImportForm,
)
from lms.cohorts.models import DELIVERY_LABELS, Attendance
from lms.core import mail
from lms.core.csvsafe import csv_rows
from lms.core.errors import DomainError, render_error
from lms.core.security import SECRET_PAGE_HEADERS, role_required
from lms.curricula.models import Curriculum
from lms.extensions import db, limiter
from lms.learning import queries as learning_queries
from lms.learning.forms import EmptyForm
from lms.learning.models import TRACK_LABELS, Enrollment
from lms.quizzes import operations as quiz_operations

bp = Blueprint("cohorts", __name__, template_folder="templates")
staff_only = role_required(Role.TRAINER, Role.ADMIN)


def _cohort(cohort_id):
    return managed_cohort_or_404(cohort_id, current_user)


def _curricula_choices():
    return [(c.id, c.title) for c in db.session.scalars(select(Curriculum).order_by(Curriculum.title))]


def _trainer_choices():
    staff = db.session.execute(select(User.id, User.name, User.email).where(
        User.role.in_([Role.TRAINER.value, Role.ADMIN.value]), User.active.is_(True)).order_by(User.name)).all()
    return [(user_id, f"{name} ({email})") for user_id, name, email in staff]


def _cohort_form(**kwargs):
    form = CohortForm(filled_in_by_trainer=current_user.role == Role.TRAINER, **kwargs)
    form.curriculum.choices = _curricula_choices()
    form.trainers.choices = _trainer_choices()
    return form


@bp.get("/trainer/cohorts")
@staff_only
def index():
    cohorts = db.session.scalars(managed_cohorts_query(current_user)).all()
    counts = dict(db.session.execute(select(Enrollment.cohort_id, func.count()).where(
        Enrollment.cohort_id.in_([c.id for c in cohorts])).group_by(Enrollment.cohort_id)).all())
    titles = dict(db.session.execute(select(Curriculum.id, Curriculum.title)).all())
    return render_template("cohorts/index.html", cohorts=cohorts, counts=counts, titles=titles,
                           delivery_labels=DELIVERY_LABELS)


@bp.route("/trainer/cohorts/new", methods=["GET", "POST"])
@staff_only
def create():
    form = _cohort_form()
    if request.method == "GET":
        form.trainers.data = [current_user.id]
    if form.validate_on_submit():
        try:
            cohort = operations.create_cohort(current_user, **_cohort_fields(form))
        except operations.NoTrainerChosen as error:
            return _refused_cohort_form(form, None, error)
        db.session.commit()
        flash(f"Cohort {cohort.name!r} created. Share the join code {cohort.join_code} with learners.", "success")
        return redirect(url_for("cohorts.overview", cohort_id=cohort.id))
    return render_template("cohorts/form.html", form=form, cohort=None), 400 if form.errors else 200


def _refused_cohort_form(form, cohort, error):
    """The form again with the rule's message (the trainers chosen stopped being staff meanwhile)."""
    db.session.rollback()
    form.trainers.errors = [*form.trainers.errors, str(error)]
    return render_template("cohorts/form.html", form=form, cohort=cohort), 400


def _cohort_fields(form):
    return {"curriculum_id": form.curriculum.data, "name": form.name.data, "location": form.location.data,
            "delivery_mode": form.delivery_mode.data, "day1_date": form.day1_date.data,
            "day2_date": form.day2_date.data, "default_track": form.default_track.data,
            "trainer_ids": form.trainers.data or [], "crossover_forms": form.crossover_forms.data}


@bp.route("/trainer/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
@staff_only
def edit(cohort_id):
    cohort = _cohort(cohort_id)
    form = _cohort_form(obj=cohort) if request.method == "GET" else _cohort_form()
    if request.method == "GET":
        form.curriculum.data = cohort.curriculum_id
        form.trainers.data = progress_grid.trainer_ids(cohort.id)
    form.curriculum.render_kw = {"disabled": True}
    form.curriculum.validators = []
    if request.method == "POST":
        form.curriculum.data = cohort.curriculum_id
    if form.validate_on_submit():
        fields = _cohort_fields(form)
        fields.pop("curriculum_id")
        try:
            operations.update_cohort(cohort, current_user, **fields)
        except operations.NoTrainerChosen as error:
            return _refused_cohort_form(form, cohort, error)
        db.session.commit()
        flash("Cohort details saved.", "success")
        return redirect(url_for("cohorts.overview", cohort_id=cohort.id))
    return render_template("cohorts/form.html", form=form, cohort=cohort), 400 if form.errors else 200


@bp.get("/trainer/cohorts/<int:cohort_id>")
@staff_only
def overview(cohort_id):
    cohort = _cohort(cohort_id)
    return render_template("cohorts/overview.html", cohort=cohort, form=JoinCodeForm(),
                           curriculum=db.session.get(Curriculum, cohort.curriculum_id),
                           trainers=progress_grid.trainer_names(cohort.id),
                           roster_size=progress_grid.roster_size(cohort.id),
                           delivery_labels=DELIVERY_LABELS, track_labels=TRACK_LABELS)


@bp.post("/trainer/cohorts/<int:cohort_id>/join-code/<action>")
@staff_only
def join_code(cohort_id, action):
    cohort = _cohort(cohort_id)
    if not JoinCodeForm().validate_on_submit() or action not in ("regenerate", "close", "open"):
        abort(400)
    if action == "regenerate":
        operations.regenerate_join_code(cohort, current_user)
        flash(f"New join code: {cohort.join_code}. The old code no longer works.", "success")
    else:
        operations.set_join_open(cohort, current_user, action == "open")
        flash("Joining by code is " + ("open." if action == "open" else "closed."), "success")
    db.session.commit()
    return redirect(url_for("cohorts.overview", cohort_id=cohort.id))


@bp.get("/trainer/cohorts/<int:cohort_id>/roster")
@staff_only
def roster(cohort_id):
    cohort = _cohort(cohort_id)
    return _roster_page(cohort, AddLearnerForm(track=cohort.default_track), RosterImportForm())


def _roster_page(cohort, add_form, import_form, status=200):
    return render_template("cohorts/roster.html", cohort=cohort, add_form=add_form, import_form=import_form,
                           members=operations.roster_enrollments(cohort.id), track_labels=TRACK_LABELS), status


@bp.post("/trainer/cohorts/<int:cohort_id>/roster/add")
@staff_only
def add_learner(cohort_id):
    cohort = _cohort(cohort_id)
    form = AddLearnerForm()
    if not form.validate_on_submit():
        return _roster_page(cohort, form, RosterImportForm(formdata=None), 400)
    try:
        _, added = operations.add_learner(cohort, current_user, form.email.data, form.track.data)
    except DomainError as error:
        db.session.rollback()
        form.email.errors.append(str(error))
        return _roster_page(cohort, form, RosterImportForm(formdata=None), 400)
    db.session.commit()
    flash("Added to the cohort." if added else "Already in this cohort.", "success")
    return redirect(url_for("cohorts.roster", cohort_id=cohort.id))


@bp.post("/trainer/cohorts/<int:cohort_id>/roster/import")
@staff_only
def import_roster(cohort_id):
    cohort = _cohort(cohort_id)
    form = RosterImportForm()
    if not form.validate_on_submit():
        return _roster_page(cohort, AddLearnerForm(formdata=None, track=cohort.default_track), form, 400)
    try:
        text = form.roster.data.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        form.roster.errors.append("The file is not UTF-8 text. Save it from your spreadsheet as CSV UTF-8.")
        return _roster_page(cohort, AddLearnerForm(formdata=None, track=cohort.default_track), form, 400)
    result = operations.import_roster(cohort, current_user, text, link_mail.password_link_url)
    db.session.commit()
    _email_invitations(cohort, result)
    html = render_template("cohorts/roster_result.html", cohort=cohort, result=result, form=EmptyForm(),
                           mail_configured=mail.mail_configured())
    return html, 200, SECRET_PAGE_HEADERS


def _email_invitations(cohort, result):
    """With MAIL_SERVER set, email each new learner their link (after the commit: a link that was
    emailed must exist), and note on each row whether it went."""
    if not mail.mail_configured() or not result.invitations:
        return
    messages = [link_mail.invitation_message(o.email, o.name, o.invitation_url, operations.INVITATION_LIFETIME,
                                             cohort.name) for o in result.invitations]
    for outcome, sent in zip(result.invitations, mail.send_many(messages), strict=True):
        outcome.emailed = sent


@bp.post("/trainer/cohorts/<int:cohort_id>/roster/invitations.csv")
@staff_only
def invitations_csv(cohort_id):
    """The invitation links of an import, as CSV, from the rows the result page posted back."""
    cohort = _cohort(cohort_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    rows = zip(request.form.getlist("email"), request.form.getlist("link"), strict=False)
    body = csv_rows(["email", "invitation_link"], ([email, link] for email, link in rows))
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="cohort-{cohort.id}-invitations.csv"', **SECRET_PAGE_HEADERS})


@bp.route("/trainer/cohorts/<int:cohort_id>/attendance/<int:day>", methods=["GET", "POST"])
@staff_only
def attendance(cohort_id, day):
    cohort = _cohort(cohort_id)
    if not cohort.records_attendance or day not in (1, 2):
        abort(404)
    form = EmptyForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        present = {int(value) for value in request.form.getlist("present") if value.isdigit() and len(value) < 12}
        operations.record_attendance(cohort, current_user, day, present)
        db.session.commit()
        flash(f"Attendance for Day {day} saved.", "success")
        return redirect(url_for("cohorts.attendance", cohort_id=cohort.id, day=day))
    return render_template("cohorts/attendance.html", cohort=cohort, day=day, form=form,
                           window_form=CheckInWindowForm(), windows=operations.current_windows(cohort.id),
                           members=operations.roster_enrollments(cohort.id), marks=_marks(cohort.id, day))


def _marks(cohort_id, day):
    return dict(db.session.execute(select(Attendance.enrollment_id, Attendance.present).join(
        Enrollment, Enrollment.id == Attendance.enrollment_id).where(
        Enrollment.cohort_id == cohort_id, Attendance.day_number == day)).all())


@bp.post("/trainer/cohorts/<int:cohort_id>/attendance/<int:day>/check-in")
@staff_only
def open_check_in(cohort_id, day):
    cohort = _cohort(cohort_id)
    form = CheckInWindowForm()
    if not form.validate_on_submit():
        flash("Choose how many minutes (1 to 240) the check-in code stays valid.", "error")
        return redirect(url_for("cohorts.attendance", cohort_id=cohort.id, day=day))
    try:
        window = operations.open_check_in(cohort, current_user, day, form.minutes.data)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(f"Check-in code for Day {day}: {window.code}, valid until {window.closes_at:%H:%M} UTC.", "success")
    return redirect(url_for("cohorts.attendance", cohort_id=cohort.id, day=day))


@bp.get("/trainer/cohorts/<int:cohort_id>/attendance/<int:day>/sheet")
@staff_only
def sign_in_sheet(cohort_id, day):
    cohort = _cohort(cohort_id)
    if not cohort.records_attendance or day not in (1, 2):
        abort(404)
    return render_template("cohorts/sign_in_sheet.html", cohort=cohort, day=day,
                           members=operations.roster_enrollments(cohort.id),
                           curriculum=db.session.get(Curriculum, cohort.curriculum_id))


@bp.get("/trainer/cohorts/<int:cohort_id>/progress")
@staff_only
def progress(cohort_id):
    cohort = _cohort(cohort_id)
    filters = _grid_filters()
    grid = progress_grid.build(cohort, **filters, page=request.args.get("page", 1, type=int))
    return render_template("cohorts/progress.html", cohort=cohort, grid=grid, track_labels=TRACK_LABELS,
                           args=request.args, filters=filters)


@bp.get("/trainer/cohorts/<int:cohort_id>/progress.csv")
@staff_only
def progress_csv(cohort_id):
    cohort = _cohort(cohort_id)
    header, records = progress_grid.csv_export(cohort, **_grid_filters())
    body = csv_rows(header, records)
    return Response(stream_with_context(body), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="cohort-{cohort.id}-progress.csv"'})


def _grid_filters():
    """The sort and filters chosen, empty ones left out: `build`'s arguments, and kept in every link."""
    return {key: request.args[key] for key in ("sort", "track", "status") if request.args.get(key)}


@bp.get("/trainer/cohorts/<int:cohort_id>/learners/<int:enrollment_id>")
@staff_only
def learner(cohort_id, enrollment_id):
    cohort = _cohort(cohort_id)
    enrollment = _member_or_404(cohort, enrollment_id)
    outline = learning_queries.outline_for(db.session.get(Curriculum, cohort.curriculum_id))
    attempts = progress_grid.attempts_with_items(enrollment.id)
    return render_template("cohorts/learner.html", cohort=cohort, enrollment=enrollment, outline=outline,
                           user=db.session.get(User, enrollment.user_id), attempts=attempts, form=EmptyForm(),
                           track_labels=TRACK_LABELS)


def _member_or_404(cohort, enrollment_id):
    enrollment = db.session.get(Enrollment, enrollment_id)
    if enrollment is None or enrollment.cohort_id != cohort.id:
        abort(404)
    return enrollment


@bp.post("/trainer/cohorts/<int:cohort_id>/learners/<int:enrollment_id>/grant/<int:quiz_id>")
@staff_only
def grant_attempt(cohort_id, enrollment_id, quiz_id):
    cohort = _cohort(cohort_id)
    enrollment = _member_or_404(cohort, enrollment_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    outline = learning_queries.outline_for(db.session.get(Curriculum, cohort.curriculum_id))
    if outline.quiz_by_id(quiz_id) is None:
        abort(404)
    quiz_operations.grant_extra_attempt(enrollment, quiz_id, current_user, request.form.get("reason", ""))
    db.session.commit()
    flash("One more attempt granted. The learner can start it now.", "success")
    return redirect(url_for("cohorts.learner", cohort_id=cohort.id, enrollment_id=enrollment.id))


@bp.route("/join", methods=["GET", "POST"])
@login_required
def join():
    form = JoinForm()
    if form.validate_on_submit():
        try:
            cohort, _ = operations.join_by_code(current_user, form.code.data)
        except DomainError as error:
            db.session.rollback()
            form.code.errors.append(str(error))
        else:
            db.session.commit()
            curriculum = db.session.get(Curriculum, cohort.curriculum_id)
            flash(f"You joined {cohort.name}.", "success")
            return redirect(url_for("learning.curriculum", key=curriculum.key))
    return render_template("cohorts/join.html", form=form), 400 if form.errors else 200


TOO_MANY_CHECK_INS = ("Too many wrong check-in codes. Wait a minute, then type the code your trainer shows "
                      "in the room. If it still fails, ask your trainer to mark you present.")


# Wrong codes allowed per account, and per network address (a room of learners may share one, so
# it allows more): while a 6-digit code is open for 15 minutes, one account can try 150 of the
# million codes, a 1-in-6,000 chance, where a script could otherwise try them all.
def _check_in_limit_per_account():
    return current_app.config["CHECK_IN_LIMIT"]


def _check_in_limit_per_address():
    return current_app.config["CHECK_IN_IP_LIMIT"]


def _checking_in_account():
    # The account's id, not its session id: signing out and in again must not reset the count.
    return f"check-in-account:{current_user.id if current_user.is_authenticated else 'none'}"


def _check_in_failed(response):
    return response.status_code != 302


@bp.errorhandler(429)
def too_many_requests(error):
    message = TOO_MANY_CHECK_INS if request.endpoint == "cohorts.check_in" else None
    response, status = render_error(429, message)
    return response, status, {"Retry-After": "60"}


@bp.route("/check-in", methods=["GET", "POST"])
@login_required
@limiter.limit(_check_in_limit_per_address, methods=["POST"], deduct_when=_check_in_failed)
@limiter.limit(_check_in_limit_per_account, methods=["POST"], key_func=_checking_in_account,
               deduct_when=_check_in_failed)
def check_in():
    form = CheckInForm()
    if form.validate_on_submit():
        try:
            cohort, day = operations.check_in(current_user, form.code.data)
        except DomainError as error:
            db.session.rollback()
            form.code.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"You are checked in for Day {day} of {cohort.name}.", "success")
            return redirect(url_for("learning.dashboard"))
    return render_template("cohorts/check_in.html", form=form), 400 if form.errors else 200


"""Cohort reports: item analysis, knowledge gain, completion summary, each as a page and a CSV."""

import re

from flask import Blueprint, Response, abort, render_template, request, stream_with_context, url_for
from flask_login import current_user

from lms.auth.models import Role
from lms.cohorts import charts, reports
from lms.cohorts.access import managed_cohort_or_404
from lms.core.csvsafe import csv_rows
from lms.core.security import role_required
from lms.learning.models import TRACK_LABELS
from lms.learning.queries import curriculum_by_id, outline_for

bp = Blueprint("cohort_reports", __name__, template_folder="templates")

PREFIX = "/trainer/cohorts/<int:cohort_id>/reports"
staff_only = role_required(Role.TRAINER, Role.ADMIN)


def _cohort_and_outline(cohort_id):
    cohort = managed_cohort_or_404(cohort_id, current_user)
    return cohort, outline_for(curriculum_by_id(cohort.curriculum_id))


def _render(template, cohort, outline, **context):
    return render_template(f"cohorts/reports/{template}", cohort=cohort, outline=outline,
                           overview_url=url_for("cohorts.overview", cohort_id=cohort.id), **context)


def _csv_response(filename, header, rows):
    safe_name = re.sub(r"[^A-Za-z0-9._-]", "-", filename)
    return Response(stream_with_context(csv_rows(header, rows)), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{safe_name}"',
                             "Cache-Control": "no-store"})


def _round(value, places):
    return None if value is None else round(value, places)


# --- Item analysis ---------------------------------------------------------------------------

def _chosen_quiz(outline):
    key = request.args.get("quiz")
    if key:
        quiz = next((q for q in reports.report_quizzes(outline) if q.key == key), None)
        if quiz is None:
            abort(404)
        return quiz
    return reports.default_report_quiz(outline)


@bp.get(f"{PREFIX}/items")
@staff_only
def items(cohort_id):
    cohort, outline = _cohort_and_outline(cohort_id)
    quiz = _chosen_quiz(outline)
    report = reports.item_analysis(cohort, quiz) if quiz else None
    return _render("items.html", cohort, outline, quiz=quiz, report=report, quizzes=reports.report_quizzes(outline))


@bp.get(f"{PREFIX}/items.csv")
@staff_only
def items_csv(cohort_id):
    cohort, outline = _cohort_and_outline(cohort_id)
    quiz = _chosen_quiz(outline)
    if quiz is None:
        abort(404)
    report = reports.item_analysis(cohort, quiz)
    header = ["question_key", "form", "objective", "prompt", "retired", "attempts", "facility", "discrimination",
              "most_chosen_wrong_choice", "times_chosen", "flags"]
    rows = ([item.key, item.form, item.objective, item.prompt, item.retired, item.attempts,
             _round(item.facility, 3), _round(item.discrimination, 3), item.wrong_choice,
             item.wrong_choice_count, "; ".join(item.flags)] for item in report.items)
    return _csv_response(f"cohort-{cohort.id}-items-{quiz.key}.csv", header, rows)


# --- Knowledge gain --------------------------------------------------------------------------

def _gain_charts(report):
    if not report.available:
        return None
    categories = ["All paired trainees", *[f"{o.module}: {o.text}" for o in report.objectives]]
    pre = (report.summary.mean_pre, *[o.means.pre for o in report.objectives])
    post = (report.summary.mean_post, *[o.means.post for o in report.objectives])
    return charts.horizontal_bar_chart(
        "gain-chart", "Mean pre-test and post-test scores",
        "Mean percent correct on the pre-test and the post-test, overall and per objective, "
        "over trainees who took both.",
        categories, [charts.Series("Pre-test", pre), charts.Series("Post-test", post)], max_value=100, unit="%")


@bp.get(f"{PREFIX}/gain")
@staff_only
def gain(cohort_id):
    cohort, outline = _cohort_and_outline(cohort_id)
    report = reports.knowledge_gain(cohort, outline)
    return _render("gain.html", cohort, outline, report=report, chart=_gain_charts(report),
                   track_labels=TRACK_LABELS)


@bp.get(f"{PREFIX}/gain.csv")
@staff_only
def gain_csv(cohort_id):
    cohort, outline = _cohort_and_outline(cohort_id)
    header = ["name", "email", "agency", "discipline", "track", "form_order", "pre_percent", "post_percent",
              "gain_points", "normalized_gain", "paired"]
    rows = ([t.name, t.email, t.agency, t.discipline, t.track, t.form_order, _round(t.pre, 2), _round(t.post, 2),
             _round(t.gain, 2), _round(t.normalized_gain, 3), t.paired] for t in reports.trainee_gains(cohort, outline))
    return _csv_response(f"cohort-{cohort.id}-knowledge-gain.csv", header, rows)


# --- Completion ------------------------------------------------------------------------------

def _completion_chart(report):
    return charts.horizontal_bar_chart(
        "progress-chart", "Trainees by percent complete",
        "Number of trainees in each 20-point band of percent complete.",
        [band.label for band in report.bands], [charts.Series("Trainees", tuple(b.count for b in report.bands))])


@bp.get(f"{PREFIX}/completion")
@staff_only
def completion(cohort_id):
    cohort, outline = _cohort_and_outline(cohort_id)
    report = reports.completion_summary(cohort, outline)
    return _render("completion.html", cohort, outline, report=report, chart=_completion_chart(report))


@bp.get(f"{PREFIX}/completion.csv")
@staff_only
def completion_csv(cohort_id):
    cohort, outline = _cohort_and_outline(cohort_id)
    header = ["name", "email", "agency", "discipline", "track", "percent_complete",
              *[f"day_{day.number}_complete" for day in outline.days], "posttest_passed", "certificate"]
    rows = ([t.name, t.email, t.agency, t.discipline, t.track, t.percent, *t.days_complete, t.posttest_passed,
             t.certified] for t in reports.trainee_completions(cohort, outline))
    return _csv_response(f"cohort-{cohort.id}-completion.csv", header, rows)

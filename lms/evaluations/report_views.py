"""Trainer summaries of the training evaluation, per cohort and per curriculum, as a page and a
CSV. Counts, means and sorted comments only: nothing here names or orders a respondent."""

import re

from flask import Blueprint, Response, render_template, stream_with_context, url_for
from flask_login import current_user

from lms.auth.models import Role
from lms.cohorts import charts
from lms.cohorts.access import managed_cohort_or_404
from lms.core.csvsafe import csv_rows
from lms.core.security import role_required
from lms.evaluations import queries
from lms.evaluations.models import LIKERT_LABELS
from lms.evaluations.summary import MIN_RESPONSES
from lms.learning.queries import curriculum_by_id, curriculum_or_404, outline_for

bp = Blueprint("evaluation_reports", __name__, template_folder="templates")

staff_only = role_required(Role.TRAINER, Role.ADMIN)
CSV_HEADER = ["kind", "section", "key", "text", "count", "strongly_disagree", "disagree",
              "neither_agree_nor_disagree", "agree", "strongly_agree", "no_answer", "mean", "percent_agreeing",
              "comment"]


def _charts(summary):
    """One chart per section: the share agreeing with each statement (the table has the rest)."""
    return [charts.horizontal_bar_chart(
        f"evaluation-chart-{number}", f"{section.title}: share agreeing",
        "Percent of those who rated each statement who chose agree or strongly agree.",
        [row.item.text for row in section.items],
        [charts.Series("Agree or strongly agree", tuple(
            None if row.percent_agreeing is None else round(row.percent_agreeing, 1) for row in section.items))],
        max_value=100, unit="%") for number, section in enumerate(summary.sections, start=1)]


def _render(summary, **context):
    return render_template("evaluations/summary.html", summary=summary, charts=_charts(summary),
                           scale=LIKERT_LABELS, min_responses=MIN_RESPONSES, **context)


def _round(value, places):
    return None if value is None else round(value, places)


def _csv_response(filename, summary):
    safe_name = re.sub(r"[^A-Za-z0-9._-]", "-", filename)
    return Response(stream_with_context(csv_rows(CSV_HEADER, _csv_lines(summary))), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{safe_name}"',
                             "Cache-Control": "no-store"})


def _csv_lines(summary):
    blank = [None] * (len(CSV_HEADER) - 5)
    yield ["responses", None, "responses", "Responses received", summary.responses, *blank]
    if not summary.released:
        yield ["note", None, "suppressed", f"Fewer than {MIN_RESPONSES} responses in the figures: nothing else is "
               "reported, so that no answer can be traced to a person.", summary.included, *blank]
        return
    yield ["responses", None, "included", "Responses included in the figures", summary.included, *blank]
    yield ["responses", None, "eligible", "Learners who passed the post-test", summary.eligible, *blank]
    yield ["responses", None, "response_rate", "Response rate (percent)", _round(summary.response_rate, 1), *blank]
    for section in summary.sections:
        for row in section.items:
            yield ["item", section.title, row.item.key, row.item.text, row.answered, *row.counts, row.no_answer,
                   _round(row.mean, 2), _round(row.percent_agreeing, 1), None]
    for comments in summary.comments:
        for text in comments.answers:
            yield ["comment", None, comments.question.key, comments.question.text, *([None] * 9), text]


# --- Per cohort ------------------------------------------------------------------------------

def _cohort(cohort_id):
    cohort = managed_cohort_or_404(cohort_id, current_user)
    outline = outline_for(curriculum_by_id(cohort.curriculum_id))
    return cohort, outline, queries.cohort_summary(cohort, outline)


@bp.get("/trainer/cohorts/<int:cohort_id>/evaluation")
@staff_only
def cohort_summary(cohort_id):
    cohort, outline, summary = _cohort(cohort_id)
    return _render(summary, cohort=cohort, outline=outline, heading=f"Training evaluation: {cohort.name}",
                   overview_url=url_for("cohorts.overview", cohort_id=cohort.id),
                   csv_url=url_for("evaluation_reports.cohort_csv", cohort_id=cohort.id),
                   curriculum_url=url_for("evaluation_reports.curriculum_summary", key=outline.key))


@bp.get("/trainer/cohorts/<int:cohort_id>/evaluation.csv")
@staff_only
def cohort_csv(cohort_id):
    cohort, _outline, summary = _cohort(cohort_id)
    return _csv_response(f"cohort-{cohort.id}-evaluation.csv", summary)


# --- Per curriculum --------------------------------------------------------------------------

def _curriculum(key):
    outline = outline_for(curriculum_or_404(key))
    return outline, queries.curriculum_summary(outline, current_user)


@bp.get("/trainer/curricula/<key>/evaluation")
@staff_only
def curriculum_summary(key):
    outline, summary = _curriculum(key)
    return _render(summary, cohort=None, outline=outline, heading=f"Training evaluation: {outline.title}",
                   is_admin=current_user.role == Role.ADMIN,
                   csv_url=url_for("evaluation_reports.curriculum_csv", key=outline.key))


@bp.get("/trainer/curricula/<key>/evaluation.csv")
@staff_only
def curriculum_csv(key):
    outline, summary = _curriculum(key)
    return _csv_response(f"{outline.key}-evaluation.csv", summary)

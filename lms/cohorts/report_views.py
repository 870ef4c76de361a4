"""Cohort reports: item analysis, knowledge gain, completion summary."""

from flask import Blueprint

bp = Blueprint("cohort_reports", __name__, template_folder="templates")

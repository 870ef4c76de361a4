"""Trainer pages for cohorts, and the learner's join and check-in pages."""

from flask import Blueprint

bp = Blueprint("cohorts", __name__, template_folder="templates")

"""The audit log page: newest first, filters, text-only values, no way to change it."""

import datetime

import pytest

from lms.admin import queries
from lms.core import audit
from lms.core.audit import AuditEvent
from lms.extensions import db

CURRENT_PAGE_ONE = 'aria-current="page"><span class="visually-hidden">Page </span>1</a>'


def _event(action, actor=None, when=None, **details):
    event = audit.record(action, actor=actor, target="user:1", **details)
    if when is not None:
        event.occurred_at = when
    db.session.commit()
    return event


@pytest.fixture
def history(admin, make_user):
    trainer = make_user("trainer", email="renee@tribe.example")
    _event("cohort.created", trainer, datetime.datetime(2026, 3, 1, 9, 0), name="Spring")
    _event("quiz.extra_attempt", trainer, datetime.datetime(2026, 3, 2, 23, 59))
    _event("cohort.created", admin, datetime.datetime(2026, 3, 3, 0, 0), name="Summer")
    return trainer


def test_newest_first_with_details_as_key_value_text(client, history):
    html = client.get("/admin/audit").get_data(as_text=True)
    assert html.index("2026-03-03 00:00") < html.index("2026-03-02 23:59") < html.index("2026-03-01 09:00")
    assert "name: Summer" in html and "renee@tribe.example" in html


def test_filter_by_actor_email(client, history):
    html = client.get("/admin/audit?actor=TRIBE.example").get_data(as_text=True)
    assert "name: Spring" in html and "name: Summer" not in html


def test_filter_by_action_from_a_select_of_known_actions(client, history):
    page = client.get("/admin/audit").get_data(as_text=True)
    assert '<option value="quiz.extra_attempt">' in page
    html = client.get("/admin/audit?action=cohort.created").get_data(as_text=True)
    assert "name: Spring" in html and "name: Summer" in html and "<code>quiz.extra_attempt</code>" not in html
    assert client.get("/admin/audit?action=made.up").status_code == 400


def test_filter_by_inclusive_dates(client, history):
    html = client.get("/admin/audit?date_from=2026-03-02&date_to=2026-03-02").get_data(as_text=True)
    assert "<code>quiz.extra_attempt</code>" in html
    assert "name: Spring" not in html and "name: Summer" not in html
    html = client.get("/admin/audit?date_from=2026-03-02&action=cohort.created").get_data(as_text=True)
    assert "name: Summer" in html and "name: Spring" not in html


@pytest.mark.parametrize("query", ["date_from=2026-13-01", "date_from=2026-03-05&date_to=2026-03-01"])
def test_bad_dates_are_a_400_with_field_errors(client, history, query):
    response = client.get(f"/admin/audit?{query}")
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.get_data(as_text=True)


def test_values_are_escaped(client, admin):
    _event("auth.login", None, note="<script>alert(1)</script>", **{"<b>key</b>": "x"})
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "<b>key</b>" not in html
    assert "note: &lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_paginated_by_fifty(client, admin):
    for number in range(60):
        _event("test.event", None, number=number)
    first = client.get("/admin/audit?action=test.event").get_data(as_text=True)
    assert first.count("<code>test.event</code>") == 50 and CURRENT_PAGE_ONE in first
    second = client.get("/admin/audit?action=test.event&page=2").get_data(as_text=True)
    assert second.count("<code>test.event</code>") == 10


def test_audit_page_runs_in_a_fixed_number_of_queries(client, admin, count_queries):
    def queries_with(total):
        while db.session.query(AuditEvent).count() < total:
            _event("test.event", admin, number=1)
        with count_queries() as counted:
            assert client.get("/admin/audit?actor=example").status_code == 200
        return len(counted)

    assert queries_with(10) == queries_with(80)


def test_the_log_cannot_be_changed_from_the_app(app, client, admin):
    _event("test.event", admin)
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/admin/audit"):
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}
    assert client.post("/admin/audit").status_code == 405
    assert client.delete("/admin/audit").status_code == 405


def test_events_query_excludes_actorless_rows_when_filtering_by_actor(app, admin):
    _event("test.event", None)
    _event("test.event", admin)
    page = queries.audit_events(actor="example", action="test.event")
    assert [event.actor_id for event, _email in page.items] == [admin.id]

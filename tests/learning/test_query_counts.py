"""Learner pages run a fixed number of SQL statements, however much history the learner has."""

import pytest

from lms.extensions import db
from lms.learning.queries import clear_outline_cache, dashboard_entries, learner_record, learner_records, outline_for
from tests.learning.helpers import Learner, import_fixture_copy

PAGES = [
    "/",
    "/dashboard",
    "/curricula/fixture-course",
    "/curricula/fixture-course/modules/basics",
    "/curricula/fixture-course/modules/basics/lessons/first",
    "/curricula/fixture-course/quizzes/basics",
]


def _statements(client, count_queries, path):
    with count_queries() as counted:
        assert client.get(path).status_code == 200
    return len(counted)


@pytest.mark.parametrize("path", PAGES)
def test_page_query_count_does_not_grow_with_history(client, auth, make_user, curriculum, count_queries, path):
    auth.login(make_user().email)
    learner = Learner(client)
    learner.enroll()
    learner.read("basics", "first")
    learner.take("basics", right=False)
    client.get(path)  # warm the outline cache, as any running server has
    before = _statements(client, count_queries, path)
    learner.read("basics", "second")
    learner.take("basics", right=False)
    learner.take("basics", right=True)
    learner.read_module("newcomers")
    learner.take("newcomers")
    after = _statements(client, count_queries, path)
    assert after == before
    assert after <= 12


def test_results_page_query_count_is_fixed(client, auth, make_user, curriculum, count_queries):
    auth.login(make_user().email)
    learner = Learner(client)
    learner.enroll()
    first = learner.take("basics", right=False)
    path = f"/attempts/{first.id}/results"
    client.get(path)
    before = _statements(client, count_queries, path)
    learner.take("basics", right=False)
    last = learner.take("basics", right=True)
    assert _statements(client, count_queries, f"/attempts/{last.id}/results") == before


def test_building_the_outline_is_a_fixed_number_of_queries(client, auth, make_user, curriculum, count_queries):
    clear_outline_cache()
    cold = _statements(client, count_queries, "/curricula/fixture-course")
    warm = _statements(client, count_queries, "/curricula/fixture-course")
    assert cold - warm == 5  # days, modules, lessons, question counts, quizzes: once per version


def _with_some_history(learner, module_key="basics"):
    learner.read(module_key, "first")
    learner.take(module_key, right=False)


def _dashboard_entry_statements(count_queries, user_id):
    with count_queries() as counted:
        entries = dashboard_entries(user_id)
    return len(counted), entries


def test_dashboard_entries_are_the_same_few_queries_for_one_enrollment_or_two(client, auth, make_user, curriculum,
                                                                              tmp_path, count_queries):
    bigger = import_fixture_copy(tmp_path, "bigger-course", extra_modules=6)
    user = make_user()
    auth.login(user.email)
    first = Learner(client)
    first.enroll()
    _with_some_history(first)
    one, _ = _dashboard_entry_statements(count_queries, user.id)
    second = Learner(client, "bigger-course")
    second.enroll("advanced")
    _with_some_history(second, "extra-4")
    second.take("extra-4", right=True)
    two, entries = _dashboard_entry_statements(count_queries, user.id)
    assert one == two <= 4  # enrollments, lessons read, attempts, certificates
    assert [entry.curriculum.id for entry in entries] == [curriculum.id, bigger.id]
    for entry in entries:
        assert entry.record == learner_record(entry.enrollment) and entry.certificate is None
    extra_quiz = outline_for(bigger).quiz("extra-4")
    assert entries[1].record.best_scores == {extra_quiz.id: 100.0}


def test_learner_records_in_bulk_match_one_at_a_time_with_attendance(app, make_user, curriculum, count_queries):
    from lms.cohorts.models import Attendance, Cohort
    from lms.learning.operations import enroll

    in_person = Cohort(name="In person", curriculum_id=curriculum.id, join_code="INPERSN1", delivery_mode="in_person")
    online = Cohort(name="Online", curriculum_id=curriculum.id, join_code="ONLINE01", delivery_mode="online")
    db.session.add_all([in_person, online])
    db.session.flush()
    enrollments = [enroll(make_user(), curriculum, "introductory") for _ in range(4)]
    db.session.flush()
    enrollments[0].cohort_id = enrollments[1].cohort_id = in_person.id
    enrollments[2].cohort_id = online.id
    db.session.flush()
    db.session.add_all([Attendance(enrollment_id=enrollments[0].id, day_number=1, present=True, method="roster"),
                        Attendance(enrollment_id=enrollments[1].id, day_number=2, present=False, method="roster")])
    db.session.commit()
    for enrollment in enrollments:
        db.session.refresh(enrollment)  # loaded, as the callers' enrollments are
    with count_queries() as counted:
        records = learner_records(enrollments)
    assert len(counted) == 3
    assert [records[e.id].days_attended for e in enrollments] == [frozenset({1}), frozenset(), None, None]
    assert all(records[e.id] == learner_record(e) for e in enrollments)


PAGES_OF = [
    "/dashboard",
    "/curricula/{key}",
    "/curricula/{key}/modules/basics",
    "/curricula/{key}/modules/basics/lessons/first",
    "/curricula/{key}/quizzes/basics",
]


@pytest.mark.parametrize("page", PAGES_OF)
def test_page_query_count_does_not_grow_with_the_number_of_modules(app, make_user, curriculum, tmp_path,
                                                                  count_queries, page):
    larger = import_fixture_copy(tmp_path, "larger-course", extra_modules=8)
    counts = []
    for key in (curriculum.key, larger.key):
        client = app.test_client()
        client.post("/login", data={"email": make_user().email, "password": "correct horse battery staple"})
        learner = Learner(client, key)
        learner.enroll()
        _with_some_history(learner)
        path = page.format(key=key)
        client.get(path)  # warm the outline cache, as any running server has
        counts.append(_statements(client, count_queries, path))
    assert counts[0] == counts[1], counts


def test_dashboard_page_query_count_does_not_grow_with_enrollments(client, auth, make_user, curriculum, tmp_path,
                                                                   count_queries):
    import_fixture_copy(tmp_path, "second-course")
    auth.login(make_user().email)
    first = Learner(client)
    first.enroll()
    _with_some_history(first)
    client.get("/dashboard")
    one = _statements(client, count_queries, "/dashboard")
    second = Learner(client, "second-course")
    second.enroll()
    _with_some_history(second)
    client.get("/dashboard")  # warm the second outline
    assert _statements(client, count_queries, "/dashboard") == one


def test_rechecking_incomplete_enrollments_takes_a_few_queries_per_batch(app, make_user, curriculum, count_queries):
    from lms.learning.operations import enroll, record_missing_completions

    def statements_to_recheck():
        with count_queries() as counted:
            assert record_missing_completions(batch_size=50) == []
        return len(counted)

    enroll(make_user(), curriculum, "introductory")
    db.session.commit()
    outline_for(curriculum)
    few = statements_to_recheck()
    for _ in range(12):
        enroll(make_user(), curriculum, "advanced")
    db.session.commit()
    assert statements_to_recheck() == few <= 4  # a batch, its lessons read and attempts, the empty next batch


def _attempt_post_statements(client, count_queries, learner, button):
    """Statements of saving (button "save") or submitting ("submit") a fresh basics attempt."""
    attempt_id = learner.start("basics")
    data = learner.answers_for(attempt_id)
    if button == "save":
        data = {name: value for name, value in data.items() if name != "submit"} | {"save": "Save"}
    with count_queries() as counted:
        assert client.post(f"/attempts/{attempt_id}", data=data).status_code == 302
    return len(counted)


@pytest.mark.parametrize("button", ["save", "submit"])
def test_saving_or_submitting_an_attempt_does_not_grow_with_its_questions(client, auth, make_user, curriculum,
                                                                          tmp_path, count_queries, button):
    import_fixture_copy(tmp_path, "two-questions", basics_draw=2)
    auth.login(make_user().email)
    counts = []
    for key in ("two-questions", "fixture-course"):  # 2 questions drawn, then 4
        learner = Learner(client, key)
        learner.enroll()
        counts.append(_attempt_post_statements(client, count_queries, learner, button))
    assert counts[0] == counts[1], counts

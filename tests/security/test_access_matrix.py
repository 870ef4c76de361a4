"""The access matrix: every route of `app.url_map`, every method but HEAD and OPTIONS, requested by
every actor against objects owned by someone else, compared with ONE table (ACCESS).

A route that is not in ACCESS fails with "add <endpoint> to ACCESS": nobody adds a page without
saying who may open it. The world the requests run in is described in tests/security/world.py.

Outcomes:
  ok         2xx, or a redirect that stays on this site and is not the login redirect
  login      302 to /login?next=<the requested path> (Flask-Login: not signed in)
  forbidden  403 (signed in, wrong role)
  not_found  404 (signed in, but the object is not theirs: we do not even say it exists)
  refused    400/409/410 from a rule of the domain, with a message (e.g. checking in to a cohort
             you are not in). Access was granted; what was asked is not possible.

The app runs with CSRF off here (tests/conftest.py); test_csrf.py checks the tokens."""

import io
import itertools
import re
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest

from lms import create_app
from lms.auth import mfa
from lms.extensions import db
from tests.conftest import PASSWORD, _TestConfig
from tests.security.state import changed_tables, database_state
from tests.security.world import ACTORS, build_world, log_in, rebuild_world

OK, LOGIN, FORBIDDEN, NOT_FOUND, REFUSED = "ok", "login", "forbidden", "not_found", "refused"
_ASKERS = itertools.count()


def _row(anonymous, trainee, other_trainee, trainer, other_trainer, admin):
    return dict(zip(ACTORS, (anonymous, trainee, other_trainee, trainer, other_trainer, admin), strict=True))


#: anyone, signed in or not
PUBLIC = _row(OK, OK, OK, OK, OK, OK)
#: any signed-in account, acting on its own data only
SIGNED_IN = _row(LOGIN, OK, OK, OK, OK, OK)
#: signed in and enrolled in the curriculum of the URL (both trainees are; staff are not)
ENROLLED = _row(LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND)
#: the evaluation survey: enrolled and past the post-test (trainee A); trainee B has not passed it yet
POSTTEST_PASSED = _row(LOGIN, OK, REFUSED, NOT_FOUND, NOT_FOUND, NOT_FOUND)
#: trainee A's own attempt: nobody else, not even an admin, opens a learner's attempt page
OWNER_ONLY = _row(LOGIN, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND)
#: trainee A's certificate: its holder and admins
HOLDER_OR_ADMIN = _row(LOGIN, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK)
#: trainers and admins (pages not about one cohort)
STAFF = _row(LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK)
#: trainer A's cohort: its trainers and admins; another trainer cannot tell it exists
COHORT_STAFF = _row(LOGIN, FORBIDDEN, FORBIDDEN, OK, NOT_FOUND, OK)
ADMIN_ONLY = _row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)
#: the check-in code of trainee A's cohort: only its members can use it
COHORT_MEMBER = _row(LOGIN, OK, REFUSED, REFUSED, REFUSED, REFUSED)

#: endpoint -> outcome per actor, or {method: outcome per actor} where the methods differ
ACCESS = {
    "static": PUBLIC,
    # public pages
    "curricula.catalog": PUBLIC,
    "curricula.module": PUBLIC,
    "learning.curriculum": PUBLIC,
    "certificates.verify_form": PUBLIC,
    "certificates.verify": PUBLIC,
    "certificates.issuer": PUBLIC,
    "certificates.issuer_jwks": PUBLIC,
    "certificates.status_list": PUBLIC,
    # accounts: a signed-in user is sent on to their dashboard; the link is its own credential
    "auth.login": PUBLIC,
    "auth.register": PUBLIC,
    "auth.set_password": PUBLIC,
    "auth.forgot_password": PUBLIC,
    "auth.logout": SIGNED_IN,
    # without a login waiting for its code, the second step sends visitors back to the login form
    "auth.login_second_step": PUBLIC,
    # a person's own account (MFA is off in the test settings; no actor has it on)
    "auth.reauthenticate": SIGNED_IN,
    "auth.account": SIGNED_IN,
    "auth.update_profile": SIGNED_IN,
    "auth.change_password": SIGNED_IN,
    "auth.change_email": SIGNED_IN,
    "auth.mfa_setup": SIGNED_IN,
    "auth.mfa_start": SIGNED_IN,
    "auth.mfa_disable": SIGNED_IN,
    "auth.mfa_recovery_codes": SIGNED_IN,
    # learning
    "learning.dashboard": SIGNED_IN,
    "curricula.lesson": SIGNED_IN,
    "learning.enroll": SIGNED_IN,
    "learning.change_track": ENROLLED,
    "learning.resume": ENROLLED,
    "learning.mark_read": ENROLLED,
    "quizzes.quiz": ENROLLED,
    "quizzes.start": ENROLLED,
    "quizzes.attempt": OWNER_ONLY,
    "quizzes.results": OWNER_ONLY,
    "cohorts.join": SIGNED_IN,
    "cohorts.check_in": {"GET": SIGNED_IN, "POST": COHORT_MEMBER},
    "evaluations.survey": POSTTEST_PASSED,
    "evaluations.decline": POSTTEST_PASSED,
    # certificates
    "certificates.certificate": HOLDER_OR_ADMIN,
    "certificates.certificate_pdf": HOLDER_OR_ADMIN,
    "certificates.credential_jwt": HOLDER_OR_ADMIN,
    "certificates.admin_list": ADMIN_ONLY,
    "certificates.admin_detail": ADMIN_ONLY,
    "certificates.admin_revoke": ADMIN_ONLY,
    "certificates.admin_reissue": ADMIN_ONLY,
    # trainers
    "cohorts.index": STAFF,
    "cohorts.create": STAFF,
    "cohorts.overview": COHORT_STAFF,
    "cohorts.edit": COHORT_STAFF,
    "cohorts.join_code": COHORT_STAFF,
    "cohorts.roster": COHORT_STAFF,
    "cohorts.add_learner": COHORT_STAFF,
    "cohorts.import_roster": COHORT_STAFF,
    "cohorts.invitations_csv": COHORT_STAFF,
    "cohorts.attendance": COHORT_STAFF,
    "cohorts.open_check_in": COHORT_STAFF,
    "cohorts.sign_in_sheet": COHORT_STAFF,
    "cohorts.progress": COHORT_STAFF,
    "cohorts.progress_csv": COHORT_STAFF,
    "cohorts.learner": COHORT_STAFF,
    "cohorts.grant_attempt": COHORT_STAFF,
    "cohort_reports.items": COHORT_STAFF,
    "cohort_reports.items_csv": COHORT_STAFF,
    "cohort_reports.gain": COHORT_STAFF,
    "cohort_reports.gain_csv": COHORT_STAFF,
    "cohort_reports.completion": COHORT_STAFF,
    "cohort_reports.completion_csv": COHORT_STAFF,
    "evaluation_reports.cohort_summary": COHORT_STAFF,
    "evaluation_reports.cohort_csv": COHORT_STAFF,
    # a trainer sees the responses of the cohorts they teach (none here: a suppressed summary)
    "evaluation_reports.curriculum_summary": STAFF,
    "evaluation_reports.curriculum_csv": STAFF,
    # administration
    "admin.home": ADMIN_ONLY,
    "admin.users": ADMIN_ONLY,
    "admin.user_detail": ADMIN_ONLY,
    "admin.change_role": ADMIN_ONLY,
    "admin.deactivate": ADMIN_ONLY,
    "admin.reactivate": ADMIN_ONLY,
    "admin.end_sessions": ADMIN_ONLY,
    "admin.time_accommodation": ADMIN_ONLY,
    "admin.password_link": ADMIN_ONLY,
    "admin.unlock": ADMIN_ONLY,
    "admin.imports": ADMIN_ONLY,
    "admin.audit_log": ADMIN_ONLY,
}

#: URL variable -> its value in the world (trainee A's objects, trainer A's cohort)
URL_VALUES = {
    "key": lambda w: w.curriculum_key,
    "module_key": lambda w: w.module_key,
    "lesson_key": lambda w: w.lesson_key,
    "quiz_key": lambda w: w.quiz_key,
    "quiz_id": lambda w: w.quiz_id,
    "attempt_id": lambda w: w.attempt_id,
    "code": lambda w: w.certificate_code,
    "token": lambda w: w.password_token,
    "cohort_id": lambda w: w.cohort_id,
    "enrollment_id": lambda w: w.enrollment_id,
    "user_id": lambda w: w.users["trainee"],
    "day": lambda w: 1,
    "action": lambda w: "regenerate",
    "filename": lambda w: "css/site.css",
}
#: per endpoint, URL variables that must name something else for the action to make sense
URL_OVERRIDES = {
    "admin.reactivate": {"user_id": lambda w: w.users["deactivated"]},
}

NEW_PASSWORD = "a different long passphrase"

#: endpoint -> the form a legitimate user would send (so "ok" means the action went through)
PAYLOADS = {
    "auth.login": lambda w: {"email": w.email("trainee"), "password": PASSWORD},
    "auth.register": lambda w: {"name": "Nia New", "email": "nia.new@example.org", "password": NEW_PASSWORD,
                                "confirm": NEW_PASSWORD, "agency": "Pine County Probation",
                                "discipline": "probation", "jurisdiction": "Pine County"},
    "auth.set_password": lambda w: {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    # a new address each time: six actors asking for one account would meet its limit of five an hour
    "auth.forgot_password": lambda w: {"email": f"asker-{next(_ASKERS)}@example.org"},
    "learning.enroll": lambda w: {"track": "introductory"},
    "learning.change_track": lambda w: {"track": "advanced"},
    "quizzes.attempt": lambda w: {"save": "Save", **{f"q{position}": str(order[0])
                                                      for position, order in w.attempt_answers().items()}},
    "cohorts.join": lambda w: {"code": w.join_code},
    "evaluations.survey": lambda w: {"submit": "Send my evaluation"},
    "cohorts.check_in": lambda w: {"code": w.check_in_code},
    "certificates.admin_revoke": lambda w: {"reason": "issued_in_error", "note": "access matrix"},
    "certificates.admin_reissue": lambda w: {"name": "Ana Corrected"},
    "cohorts.create": lambda w: {"curriculum": str(w.curriculum_id), "name": "Second academy",
                                 "delivery_mode": "in_person", "default_track": "introductory",
                                 "trainers": str(w.users["trainer"])},
    "cohorts.edit": lambda w: {"name": "Pine County academy (renamed)", "delivery_mode": "in_person",
                               "default_track": "introductory", "trainers": str(w.users["trainer"])},
    "cohorts.add_learner": lambda w: {"email": w.email("other_trainee"), "track": "introductory"},
    "cohorts.import_roster": lambda w: {"roster": (io.BytesIO(b"name,email\nRia Roster,ria@example.org\n"),
                                                   "roster.csv")},
    "cohorts.invitations_csv": lambda w: {"email": "ria@example.org", "link": "https://lms.example/password/x"},
    "cohorts.attendance": lambda w: {"present": str(w.enrollment_id)},
    "cohorts.open_check_in": lambda w: {"minutes": "15"},
    "cohorts.grant_attempt": lambda w: {"reason": "access matrix"},
    "auth.reauthenticate": lambda w: {"password": PASSWORD},
    "auth.update_profile": lambda w: {"profile-name": "A. Person", "profile-agency": "Pine County Probation",
                                      "profile-discipline": "probation", "profile-jurisdiction": "Pine County"},
    "auth.change_password": lambda w: {"password-current_password": PASSWORD, "password-password": NEW_PASSWORD,
                                       "password-confirm": NEW_PASSWORD},
    "auth.change_email": lambda w: {"email": "a.new.address@example.org"},
    "admin.change_role": lambda w: {"role-role": "trainer"},
    "admin.time_accommodation": lambda w: {"accommodation-factor": "1.5"},
}


def _current_totp(world, actor):
    """A key for the actor's set-up in progress, and the code their authenticator app shows now."""
    user = world.user(actor)
    if user is None:
        return {}
    user.mfa_secret = pyotp.random_base32()
    db.session.commit()
    totp = pyotp.TOTP(user.mfa_secret, digits=mfa.TOTP_DIGITS, interval=mfa.TOTP_INTERVAL)
    return {"code": totp.generate_otp(mfa.current_step())}


#: endpoint -> the form, for forms that depend on who sends them
ACTOR_PAYLOADS = {
    "auth.mfa_setup": _current_totp,
}


def payload_for(endpoint, world, actor):
    if endpoint in ACTOR_PAYLOADS:
        return ACTOR_PAYLOADS[endpoint](world, actor)
    return PAYLOADS.get(endpoint, lambda w: {})(world)


IGNORED_METHODS = {"HEAD", "OPTIONS"}


def _rules():
    app = create_app(_TestConfig)
    return sorted((rule.endpoint, rule.rule, method) for rule in app.url_map.iter_rules()
                   for method in sorted(rule.methods - IGNORED_METHODS))


RULES = _rules()


def expected_outcome(endpoint, method, actor):
    if endpoint not in ACCESS:
        pytest.fail(f"add {endpoint} to ACCESS in {__name__}: say who may {method} it (every route is listed)")
    expected = ACCESS[endpoint]
    if actor not in expected:
        if method not in expected:
            pytest.fail(f"add the method {method} of {endpoint} to ACCESS in {__name__}")
        expected = expected[method]
    return expected[actor]


def fill(rule, endpoint, world):
    """The rule's path with every <variable> replaced by its value in the world."""
    values = URL_VALUES | URL_OVERRIDES.get(endpoint, {})

    def value(match):
        name = match.group("name")
        if name not in values:
            pytest.fail(f"teach URL_VALUES in {__name__} what <{name}> of {rule} is")
        return str(values[name](world))

    return re.sub(r"<(?:[^:<>]+:)?(?P<name>[^<>]+)>", value, rule)


def outcome_of(response, path):
    """Classify a response as one of the outcomes, or describe it when it is none of them."""
    status = response.status_code
    if 300 <= status < 400:
        location = urlsplit(response.headers.get("Location", ""))
        if location.netloc not in ("", "localhost"):
            return f"redirect off the site to {location.geturl()}"
        if location.path == "/login" and parse_qs(location.query).get("next", [""])[0].split("?")[0] == path:
            return LOGIN
        return OK
    if 200 <= status < 300:
        return OK
    if status == 403:
        return FORBIDDEN
    if status == 404:
        return NOT_FOUND
    if status in (400, 409, 410):
        return REFUSED
    return f"HTTP {status}"


DENIALS = {LOGIN, FORBIDDEN, NOT_FOUND}


@pytest.mark.parametrize(("endpoint", "rule", "method"), RULES, ids=[f"{e}-{m}" for e, _, m in RULES])
def test_access_matrix(app, make_user, endpoint, rule, method):
    """Each actor in turn, in a world built afresh after any request that changed it. A denied
    request must also leave the database as it was (the audit log may record the denial)."""
    expected = {actor: expected_outcome(endpoint, method, actor) for actor in ACTORS}
    world, problems = build_world(make_user), []
    for actor in ACTORS:
        client = app.test_client()
        log_in(client, world, actor)
        path = fill(rule, endpoint, world)
        payload = payload_for(endpoint, world, actor) if method == "POST" else None
        before = database_state()
        response = client.open(path, method=method, data=payload)
        response.get_data()  # run streamed bodies (CSV) to the end, inside this request's context
        response.close()
        got = outcome_of(response, path)
        if got != expected[actor]:
            problems.append(f"{actor}: expected {expected[actor]}, got {got} "
                            f"(HTTP {response.status_code}, Location {response.headers.get('Location')})")
        after = database_state()
        audit_kept = set(before.pop("audit_event")) <= set(after.pop("audit_event"))
        if expected[actor] in DENIALS and (before != after or not audit_kept):
            problems.append(f"{actor}: denied, but the database changed: {changed_tables(before, after)}")
        if before != after:
            world = rebuild_world(make_user)
    assert problems == [], f"{method} {rule} ({endpoint}):\n  " + "\n  ".join(problems)


def test_access_table_names_only_existing_routes():
    """A route removed or renamed must leave the table too, so the table stays the truth."""
    endpoints = {endpoint for endpoint, _, _ in RULES}
    assert sorted(set(ACCESS) - endpoints) == []
    assert sorted((set(PAYLOADS) | set(ACTOR_PAYLOADS)) - endpoints) == []


#: staff-only rules: the trainer (or, for admin pages, the admin) may use them, trainees may not
STAFF_RULES = [(endpoint, rule, method) for endpoint, rule, method in RULES
               if expected_outcome(endpoint, method, "trainee") == FORBIDDEN]


@pytest.mark.parametrize(("endpoint", "rule", "method"), STAFF_RULES, ids=[f"{e}-{m}" for e, _, m in STAFF_RULES])
def test_staff_without_two_step_verification_reach_no_staff_route(app, make_user, endpoint, rule, method):
    """With MFA enforced (as in production), every staff route and method sends a trainer or admin
    who has not set up two-step verification to set it up, and changes nothing."""
    app.config["MFA_ENFORCED"] = True
    world = build_world(make_user)
    actor = "trainer" if expected_outcome(endpoint, method, "trainer") == OK else "admin"
    client = app.test_client()
    log_in(client, world, actor)
    path = fill(rule, endpoint, world)
    before = database_state()
    response = client.open(path, method=method, data=payload_for(endpoint, world, actor) if method == "POST" else None)
    response.get_data()
    response.close()
    assert response.status_code == 302, (method, path, response.status_code)
    assert urlsplit(response.headers["Location"]).path == "/account/two-step"
    after = database_state()
    assert set(before.pop("audit_event")) <= set(after.pop("audit_event"))
    assert before == after, changed_tables(before, after)

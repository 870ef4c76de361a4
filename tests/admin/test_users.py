"""The users list and an account's page: role, deactivation, sessions, time accommodation, reset link."""

import re

import pytest
from sqlalchemy import func, select

from lms.auth.models import User
from lms.cohorts.models import Cohort, Invitation
from lms.extensions import db
from lms.learning.operations import enroll
from tests.conftest import PASSWORD

CURRENT_PAGE_ONE = 'aria-current="page"><span class="visually-hidden">Page </span>1</a>'


def _reload(user):
    return db.session.get(User, user.id, populate_existing=True)


# The list ------------------------------------------------------------------------------------

def test_search_by_name_or_email_case_insensitively(client, admin, make_user):
    make_user(name="Ŋoah Tsosie", email="noah@tribe.example")
    make_user(name="Dana Whitfield", email="dana@county.example")
    html = client.get("/admin/users?q=TSOSIE").get_data(as_text=True)
    assert "Ŋoah Tsosie" in html and "Dana Whitfield" not in html
    html = client.get("/admin/users?q=county.example").get_data(as_text=True)
    assert "Dana Whitfield" in html and "Ŋoah Tsosie" not in html


def test_search_treats_like_wildcards_as_text(client, admin, make_user):
    make_user(name="Percent 100% Person")
    make_user(name="Plain Person")
    html = client.get("/admin/users?q=%25").get_data(as_text=True)
    assert "Percent 100% Person" in html and "Plain Person" not in html


def test_filter_by_role_and_status(client, admin, make_user):
    make_user("trainer", name="Active Trainer")
    gone = make_user("trainer", name="Gone Trainer")
    gone.active = False
    make_user(name="Some Trainee")
    db.session.commit()
    html = client.get("/admin/users?role=trainer").get_data(as_text=True)
    assert "Active Trainer" in html and "Gone Trainer" in html and "Some Trainee" not in html
    html = client.get("/admin/users?role=trainer&status=deactivated").get_data(as_text=True)
    assert "Gone Trainer" in html and "Active Trainer" not in html
    assert "Deactivated" in html  # status in text, not colour alone
    html = client.get("/admin/users?status=active").get_data(as_text=True)
    assert "Gone Trainer" not in html and "Some Trainee" in html


def test_unknown_filter_value_is_a_400_with_a_field_error(client, admin):
    response = client.get("/admin/users?role=superuser")
    assert response.status_code == 400
    assert 'id="role-error"' in response.get_data(as_text=True)


def test_rows_link_to_the_account_page(client, admin, make_user):
    user = make_user(name="Linked Person")
    assert f'href="/admin/users/{user.id}"' in client.get("/admin/users").get_data(as_text=True)


def test_pages_of_fifty_keep_the_filters(client, admin, make_user):
    for number in range(55):
        make_user(name=f"Learner {number:02d}")
    first = client.get("/admin/users?role=trainee").get_data(as_text=True)
    assert first.count('href="/admin/users/') == 50
    assert CURRENT_PAGE_ONE in first and "/admin/users?page=2&amp;role=trainee" in first
    second = client.get("/admin/users?role=trainee&page=2").get_data(as_text=True)
    assert second.count('href="/admin/users/') == 5
    assert client.get("/admin/users?page=99").status_code == 200


@pytest.mark.parametrize("filters", ["", "?q=learner&role=trainee&status=active"])
def test_users_list_runs_in_a_fixed_number_of_queries(client, admin, make_user, count_queries, filters):
    def queries_with(total):
        while db.session.scalar(select(func.count()).select_from(User)) < total:
            make_user(name="Learner")
        with count_queries() as counted:
            assert client.get(f"/admin/users{filters}").status_code == 200
        return len(counted)

    at_ten, at_sixty = queries_with(10), queries_with(60)
    assert at_ten == at_sixty <= 4  # the logged-in user, the count, the page


# The account page ---------------------------------------------------------------------------

def test_profile_and_enrollments(client, admin, make_user, curriculum):
    user = make_user(name="Marcus Ortega", agency="Pine County Probation", discipline="Probation",
                     jurisdiction="Pine County")
    cohort = Cohort(curriculum_id=curriculum.id, name="Spring <2026> cohort", join_code="ABCDEFGH")
    db.session.add(cohort)
    db.session.flush()
    enrollment = enroll(user, curriculum, "advanced")
    enrollment.cohort_id = cohort.id
    db.session.commit()
    html = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    for text in ("Marcus Ortega", user.email, "Pine County Probation", "Probation", "Pine County", "Trainee",
                 "Active", curriculum.title, "Advanced", "Spring &lt;2026&gt; cohort", "Not completed"):
        assert text in html


def test_change_role_is_audited(client, admin, make_user, events):
    user = make_user()
    response = client.post(f"/admin/users/{user.id}/role", data={"role-role": "trainer"})
    assert response.status_code == 302
    assert _reload(user).role == "trainer"
    [event] = events("admin.role_changed")
    assert event.actor_id == admin.id and event.target == f"user:{user.id}"
    assert event.details == {"from": "trainee", "to": "trainer"}


def test_unknown_role_rerenders_with_a_field_error(client, admin, make_user, events):
    user = make_user()
    response = client.post(f"/admin/users/{user.id}/role", data={"role-role": "root"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="role-role-error"' in html and 'aria-describedby="role-role-error"' in html
    assert _reload(user).role == "trainee" and events("admin.role_changed") == []


def test_the_last_active_admin_cannot_be_demoted(client, admin, events):
    response = client.post(f"/admin/users/{admin.id}/role", data={"role-role": "trainee"})
    assert response.status_code == 409
    assert "last active administrator" in response.get_data(as_text=True)
    assert _reload(admin).role == "admin" and events("admin.role_changed") == []


def test_a_deactivated_admin_does_not_count_as_another_admin(client, admin, make_user):
    other = make_user("admin")
    other.active = False
    db.session.commit()
    response = client.post(f"/admin/users/{admin.id}/role", data={"role-role": "trainer"})
    assert response.status_code == 409 and _reload(admin).role == "admin"


def test_an_admin_may_step_down_when_another_remains(client, admin, make_user):
    make_user("admin")
    response = client.post(f"/admin/users/{admin.id}/role", data={"role-role": "trainer"})
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"
    assert _reload(admin).role == "trainer"
    assert client.get("/admin/").status_code == 403


def test_deactivation_ends_the_users_sessions_and_is_audited(app, client, admin, make_user, events):
    user = make_user()
    other = app.test_client()
    other.post("/login", data={"email": user.email, "password": PASSWORD})
    assert other.get("/dashboard").status_code == 200
    response = client.post(f"/admin/users/{user.id}/deactivate")
    assert response.status_code == 302
    assert not _reload(user).active
    redirected = other.get("/dashboard")
    assert redirected.status_code == 302 and redirected.headers["Location"].startswith("/login")
    assert other.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 200
    [event] = events("admin.user_deactivated")
    assert event.actor_id == admin.id and event.target == f"user:{user.id}"


def test_reactivation_lets_the_user_log_in_again(app, client, admin, make_user, events):
    user = make_user()
    client.post(f"/admin/users/{user.id}/deactivate")
    assert client.post(f"/admin/users/{user.id}/reactivate").status_code == 302
    assert _reload(user).active
    assert app.test_client().post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    assert len(events("admin.user_reactivated")) == 1


def test_you_cannot_deactivate_yourself(client, admin, make_user, events):
    make_user("admin")
    response = client.post(f"/admin/users/{admin.id}/deactivate")
    assert response.status_code == 409
    assert "cannot deactivate your own account" in response.get_data(as_text=True)
    assert _reload(admin).active and events("admin.user_deactivated") == []


def test_sign_out_everywhere(app, client, admin, make_user, events):
    user = make_user()
    other = app.test_client()
    other.post("/login", data={"email": user.email, "password": PASSWORD})
    assert client.post(f"/admin/users/{user.id}/sessions/end").status_code == 302
    assert other.get("/dashboard").status_code == 302
    assert _reload(user).active
    assert other.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    [event] = events("admin.sessions_ended")
    assert event.actor_id == admin.id and event.target == f"user:{user.id}"


def test_time_accommodation_is_set_and_audited(client, admin, make_user, events):
    user = make_user()
    response = client.post(f"/admin/users/{user.id}/time-accommodation", data={"accommodation-factor": "1.5"})
    assert response.status_code == 302
    assert _reload(user).time_accommodation == 1.5
    [event] = events("admin.time_accommodation_changed")
    assert event.details == {"from": 1.0, "to": 1.5}
    assert "\u00d7 1.5" in client.get(f"/admin/users/{user.id}").get_data(as_text=True)


@pytest.mark.parametrize("value", ["0.5", "3.01", "abc", "", "NaN", "Infinity"])
def test_time_accommodation_out_of_range_changes_nothing(client, admin, make_user, events, value):
    user = make_user()
    response = client.post(f"/admin/users/{user.id}/time-accommodation", data={"accommodation-factor": value})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="accommodation-factor-error"' in html and 'aria-invalid="true"' in html
    assert _reload(user).time_accommodation == 1.0 and events("admin.time_accommodation_changed") == []


def test_password_link_is_shown_once_as_an_absolute_url(app, client, admin, make_user, events):
    app.config["LMS_BASE_URL"] = "https://training.example.gov/"
    user = make_user()
    response = client.post(f"/admin/users/{user.id}/password-link")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    link = re.search(r'value="(https://training\.example\.gov/password/[^"]+)"', html).group(1)
    invitation = db.session.scalar(select(Invitation))
    assert invitation.user_id == user.id and invitation.created_by_id == admin.id
    assert invitation.token_hash not in link  # only the hash is stored
    hours = (invitation.expires_at - invitation.created_at).total_seconds() / 3600
    assert hours == 24
    assert "could also be emailed" not in html
    [event] = events("auth.password_link_created")
    assert event.actor_id == admin.id and event.target == f"user:{user.id}"
    assert link.rsplit("/", 1)[1] not in client.get(f"/admin/users/{user.id}").get_data(as_text=True)


def test_password_link_is_emailed_when_mail_is_configured(app, client, admin, make_user, outbox):
    user = make_user(email="wanbli@tribe.example", name="Wanbli Ŋa Redcloud")
    html = client.post(f"/admin/users/{user.id}/password-link").get_data(as_text=True)
    link = re.search(r'id="reset-link" value="([^"]+)"', html).group(1)
    [message] = outbox
    assert message["To"] == "wanbli@tribe.example" and link in message.get_content()
    assert "We emailed this link to Wanbli Ŋa Redcloud" in html
    assert "24 hours" in message.get_content()


def test_password_link_page_says_so_when_the_email_could_not_be_sent(app, client, admin, make_user, outbox):
    outbox.refuse = True
    user = make_user()
    response = client.post(f"/admin/users/{user.id}/password-link")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "could not be sent" in html
    assert 'id="reset-link"' in html  # the admin can still hand it over
    assert outbox == []


def test_no_password_link_for_a_deactivated_account(client, admin, make_user):
    user = make_user()
    user.active = False
    db.session.commit()
    response = client.post(f"/admin/users/{user.id}/password-link")
    assert response.status_code == 409
    assert db.session.scalar(select(Invitation)) is None


def test_user_values_are_escaped(client, admin, make_user):
    user = make_user(name="<script>alert(1)</script>", agency='"><img src=x>')
    html = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "<img src=x>" not in html
    assert "&lt;script&gt;" in html


def test_search_finds_names_beyond_ascii_with_or_without_accents(client, admin, make_user):
    make_user(name="Wanbli Ŋa Redcloud")
    make_user(name="Chloé Begay")
    html = client.get("/admin/users?q=ŋA").get_data(as_text=True)
    assert "Wanbli Ŋa Redcloud" in html and "Chloé Begay" not in html
    html = client.get("/admin/users?q=chloe").get_data(as_text=True)
    assert "Chloé Begay" in html and "Wanbli Ŋa Redcloud" not in html


def test_a_renamed_user_is_found_by_the_new_name(client, admin, make_user):
    user = make_user(name="Old Name")
    user.name = "Émilie Nez"
    db.session.commit()
    assert "Émilie Nez" in client.get("/admin/users?q=emilie").get_data(as_text=True)

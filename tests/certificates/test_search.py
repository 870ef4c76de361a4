"""Administrators find certificates by code or by the learner's name, in any script."""

import pytest


@pytest.fixture
def admin_client(client, auth, make_user):
    auth.login(make_user(role="admin").email)
    return client


@pytest.mark.parametrize("query", ["ŋoah", "ØDEGÅRD", "elan", "Tsosie\u02bcs"])
def test_names_beyond_ascii_are_found_by_any_case_and_without_accents(admin_client, completed, query):
    _, certificate = completed()  # UNICODE_NAME: Ŋoah Tsosie, modifier apostrophe, s, Ødegård-Élan
    completed(name="Dana Whitfield")
    html = admin_client.get("/admin/certificates", query_string={"q": query}).get_data(as_text=True)
    assert certificate.display_code in html and "Dana Whitfield" not in html


def test_a_reissued_name_is_found_by_the_corrected_spelling(admin_client, completed):
    _, certificate = completed(name="Jon Smiht")
    admin_client.post(f"/admin/certificates/{certificate.display_code}/reissue", data={"name": "Jōn Smith"})
    html = admin_client.get("/admin/certificates", query_string={"q": "jon smith"}).get_data(as_text=True)
    assert "Jōn Smith" in html


def test_like_wildcards_in_a_search_are_text(admin_client, completed):
    completed(name="Plain Person")
    html = admin_client.get("/admin/certificates", query_string={"q": "%"}).get_data(as_text=True)
    assert "Plain Person" not in html

def test_ids_beyond_the_integer_range_are_404_not_500(client, auth, make_user):
    auth.login(make_user().email)
    assert client.get(f"/attempts/{2**31}").status_code == 404
    assert client.get(f"/attempts/{2**63}/results").status_code == 404


def test_nul_characters_in_values_are_refused_with_400(client):
    assert client.post("/login", data={"email": "a\x00@example.org", "password": "x"}).status_code == 400
    assert client.get("/verify?code=AB%00CD").status_code == 400

"""Two-step verification secrets are stored sealed, with a key kept outside the database."""

import os
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from config import MFA_KEY_GENERATION_COMMAND, TestingConfig
from lms import create_app
from lms.auth import sealing
from lms.extensions import db
from tests.auth.conftest import reload

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _app_with_keys(*keys, instance_path="/nonexistent"):
    """What sealing reads of an app: its configuration, instance folder and extension cache."""
    return SimpleNamespace(config={"MFA_SEALING_KEYS": keys}, instance_path=instance_path, extensions={})


def test_the_database_holds_the_secret_sealed_and_the_model_gives_it_back(make_user):
    user = make_user(role="trainer")
    user.mfa_secret = SECRET
    db.session.commit()
    stored = db.session.execute(text('SELECT mfa_secret_sealed FROM "user" WHERE id = :id'), {"id": user.id}).scalar()
    assert SECRET not in stored and stored != SECRET
    assert reload(user).mfa_secret == SECRET
    user.mfa_secret = None
    db.session.commit()
    assert reload(user).mfa_secret_sealed is None and reload(user).mfa_secret is None


def test_each_sealing_of_the_same_secret_differs():
    app = _app_with_keys(Fernet.generate_key().decode())
    assert sealing.seal(SECRET, app) != sealing.seal(SECRET, app)


def test_a_new_key_put_first_still_opens_the_old_and_reseal_moves_to_it():
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    sealed_with_old = sealing.seal(SECRET, _app_with_keys(old))
    both = _app_with_keys(new, old)
    assert sealing.unseal(sealed_with_old, both) == SECRET
    moved = sealing.reseal(sealed_with_old, both)
    assert sealing.unseal(moved, _app_with_keys(new)) == SECRET
    with pytest.raises(sealing.UnsealError, match="LMS_MFA_KEYS"):
        sealing.unseal(moved, _app_with_keys(old))


def test_without_configured_keys_one_is_made_once_in_the_instance_folder(tmp_path):
    first = sealing.seal(SECRET, _app_with_keys(instance_path=str(tmp_path)))
    assert os.listdir(tmp_path) == [sealing.KEY_FILE]
    assert (tmp_path / sealing.KEY_FILE).stat().st_mode & 0o077 == 0
    assert sealing.unseal(first, _app_with_keys(instance_path=str(tmp_path))) == SECRET


def test_a_malformed_key_stops_the_app_without_printing_it(monkeypatch):
    monkeypatch.setenv("LMS_MFA_KEYS", "not-a-fernet-key-hunter2")
    with pytest.raises(RuntimeError) as refused:
        create_app(TestingConfig)
    assert "LMS_MFA_KEYS" in str(refused.value) and MFA_KEY_GENERATION_COMMAND in str(refused.value)
    assert "hunter2" not in str(refused.value)


def test_reseal_command_moves_every_secret_to_the_first_key(app, runner, make_user):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    app.config["MFA_SEALING_KEYS"] = (old,)
    app.extensions.pop("mfa_sealer", None)
    user = make_user(role="admin")
    user.mfa_secret = SECRET
    db.session.commit()
    app.config["MFA_SEALING_KEYS"] = (new, old)
    app.extensions.pop("mfa_sealer", None)
    result = runner.invoke(args=["users", "reseal-mfa"])
    assert result.exit_code == 0 and "1 two-step verification secret(s)" in result.output
    app.config["MFA_SEALING_KEYS"] = (new,)
    app.extensions.pop("mfa_sealer", None)
    assert reload(user).mfa_secret == SECRET

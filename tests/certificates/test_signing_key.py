"""The Open Badges signing key is created once, whole, even when workers start together."""

import os
import threading
from concurrent.futures import ThreadPoolExecutor

from cryptography.hazmat.primitives import serialization

from lms.certificates import badge

WORKERS = 20


def _public_bytes(key):
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def test_workers_starting_together_share_one_whole_key(tmp_path):
    barrier = threading.Barrier(WORKERS)

    def start_worker(_):
        barrier.wait()
        return _public_bytes(badge.load_signing_key(tmp_path))

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        keys = set(pool.map(start_worker, range(WORKERS)))
    assert len(keys) == 1
    assert os.listdir(tmp_path) == [badge.KEY_FILE]  # no temporary file left behind
    assert _public_bytes(badge.load_signing_key(tmp_path)) in keys
    assert (tmp_path / badge.KEY_FILE).stat().st_mode & 0o077 == 0  # readable by its owner only


def test_a_worker_starting_while_another_writes_never_reads_half_a_key(tmp_path, monkeypatch):
    """Worker B starts while worker A is between opening its key file and writing it: B must not
    find a file yet (with the old write-in-place B read an empty file and crashed), and A, losing
    the race to publish, must end up with B's key."""
    real_fdopen, b_started, seen_by_b = os.fdopen, [], []

    def fdopen_then_let_b_start(*args, **kwargs):
        if not b_started:
            b_started.append(True)
            seen_by_b.append(_public_bytes(badge.load_signing_key(tmp_path)))
        return real_fdopen(*args, **kwargs)

    monkeypatch.setattr(os, "fdopen", fdopen_then_let_b_start)
    seen_by_a = _public_bytes(badge.load_signing_key(tmp_path))
    assert seen_by_b == [seen_by_a]
    assert os.listdir(tmp_path) == [badge.KEY_FILE]


def test_losing_the_race_to_publish_reads_the_winners_key(tmp_path, monkeypatch):
    winner = badge.Ed25519PrivateKey.generate()
    real_link = os.link

    def winner_publishes_first(source, destination):
        (tmp_path / badge.KEY_FILE).write_bytes(winner.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        real_link(source, destination)  # raises FileExistsError, as it would for the loser

    monkeypatch.setattr(os, "link", winner_publishes_first)
    assert _public_bytes(badge.load_signing_key(tmp_path)) == _public_bytes(winner)
    assert os.listdir(tmp_path) == [badge.KEY_FILE]


def test_a_configured_key_is_used_and_no_file_is_written(tmp_path):
    configured = badge.Ed25519PrivateKey.generate()
    pem = configured.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                   serialization.NoEncryption()).decode()
    assert _public_bytes(badge.load_signing_key(tmp_path, pem)) == _public_bytes(configured)
    assert os.listdir(tmp_path) == []

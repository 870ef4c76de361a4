"""HTTP caching where it is safe: conditional GET for personal pages, and static files with
fingerprinted URLs cached for a year.

A personal page (a lesson shows the learner's read state, their name in the header and a CSRF
token in its forms) gets a *weak* ETag built from everything personal it shows, never a shared
cache: `Cache-Control: private, no-cache` lets only the learner's own browser keep it, and the
browser asks every time; when nothing changed the answer is an empty 304. The page is not byte for
byte the same from one render to the next (the signed CSRF token carries a time stamp), hence weak.
A cached copy's token stays valid because the ETag includes the session's raw CSRF secret, which
every signed token of the session is checked against, and tokens do not expire
(WTF_CSRF_TIME_LIMIT = None; with a time limit set no ETag is given). A page carrying a flashed
message is never given an ETag and never answered with 304.

Static files: url_for('static', ...) adds ?v=<hash of the file>; a request whose v matches the
file on disk is served with `Cache-Control: public, max-age=31536000, immutable`, anything else
(no v, an old v) with `no-cache`, so a deploy is seen at once."""

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import current_app, make_response, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from werkzeug.security import safe_join

IMMUTABLE = "public, max-age=31536000, immutable"
PERSONAL = "private, no-cache"
FINGERPRINT_LENGTH = 12


# --- conditional GET for personal pages ------------------------------------------------------

def personal_etag(*parts):
    """A weak ETag (its opaque value) for a page built from `parts` for the current user in this
    session; None when the page must not be given one (a message is waiting to be flashed, or CSRF
    tokens expire)."""
    if session.get("_flashes") or current_app.config.get("WTF_CSRF_TIME_LIMIT") is not None:
        return None
    generate_csrf()  # makes sure the session holds its raw CSRF secret before it is hashed in
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    user = (current_user.get_id(), current_user.name, current_user.role) if current_user.is_authenticated else ()
    material = repr((_code_version(), *user, session.get(field), *parts))
    return hashlib.sha256(material.encode()).hexdigest()[:32]


def conditional(etag, render):
    """304 Not Modified if the browser holds the page tagged `etag`; else `render()` with the tag."""
    if etag is not None and request.if_none_match.contains_weak(etag):
        response = make_response("", 304)
    else:
        response = make_response(render())
    if etag is not None:
        response.set_etag(etag, weak=True)
        response.headers["Cache-Control"] = PERSONAL
        response.vary.add("Cookie")
    return response


@lru_cache(maxsize=1)
def _code_version():
    """A hash of every template, so a deploy that changes a page's layout changes its ETags;
    the same on every worker and host running the same code."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent.parent
    for path in sorted(root.rglob("*.html")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# --- static files ----------------------------------------------------------------------------

def register_static_caching(app):
    """Fingerprint static URLs and cache matching requests for a year."""
    app.url_defaults(_fingerprint_static_url)
    app.after_request(_cache_static_file)


def static_fingerprint(filename):
    """The first hex digits of the sha256 of a file under the static folder, or None if absent."""
    path = safe_join(current_app.static_folder, filename)
    try:
        stat = Path(path).stat() if path else None
    except (OSError, ValueError):
        stat = None
    if stat is None:
        return None
    return _file_hash(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _file_hash(path, _mtime_ns, _size):
    # Keyed by modification time and size too, so an edited file gets a new fingerprint without
    # a restart (development), while each file is read once per version.
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:FINGERPRINT_LENGTH]


def _fingerprint_static_url(endpoint, values):
    if endpoint == "static" and "filename" in values and "v" not in values:
        fingerprint = static_fingerprint(values["filename"])
        if fingerprint:
            values["v"] = fingerprint


def _cache_static_file(response):
    if request.endpoint != "static" or response.status_code not in (200, 304):
        return response
    version = request.args.get("v")
    filename = (request.view_args or {}).get("filename", "")
    if version and version == static_fingerprint(filename):
        response.headers["Cache-Control"] = IMMUTABLE
    else:
        response.headers["Cache-Control"] = "no-cache"
    return response

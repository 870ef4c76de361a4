"""Open Badges 3.0: the certificate as an OpenBadgeCredential signed as a VC-JWT (EdDSA, Ed25519),
the issuer's public key as a JWKS, and a Bitstring Status List for revocation."""

import base64
import calendar
import gzip
import hashlib
import json
from datetime import datetime
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lms.core import keyfile

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
STATUS_LIST_MIN_BITS = 131072  # the Bitstring Status List minimum (16 KB), so one entry reveals nobody
KEY_FILE = "ob-signing-key.pem"
JWKS_PATH = "/issuer/jwks.json"  # where the views publish the key set
ISO_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def load_signing_key(instance_path, configured_pem=None):
    """The Ed25519 issuer key: from configuration, else the instance file (created on first use)."""
    if configured_pem:
        return serialization.load_pem_private_key(configured_pem.encode(), password=None)
    pem = keyfile.read_or_create(Path(instance_path) / KEY_FILE, _new_key_pem)
    return serialization.load_pem_private_key(pem, password=None)


def _new_key_pem():
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def _b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _public_okp(private_key):
    """The public half of the key as a bare OKP JWK (only the members RFC 7638 hashes)."""
    raw = private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"crv": "Ed25519", "kty": "OKP", "x": _b64url(raw)}


def _thumbprint(okp):
    """The RFC 7638 JWK thumbprint."""
    return _b64url(hashlib.sha256(json.dumps(okp, separators=(",", ":"), sort_keys=True).encode()).digest())


def key_id(private_key, base_url):
    """The `kid`: a URL that dereferences to the published JWKS (OB 3.0 asks for a URI that resolves
    to the key), its fragment the key's thumbprint. The JWKS entry carries the same `kid`, so JOSE
    libraries that match a token's `kid` against a key set find it too."""
    return f"{base_url}{JWKS_PATH}#{_thumbprint(_public_okp(private_key))}"


def public_jwk(private_key, base_url):
    """The public key as an OKP JWK, identified by its resolvable `kid`."""
    return {**_public_okp(private_key), "kid": key_id(private_key, base_url), "use": "sig", "alg": "EdDSA"}


def jwks(private_key, base_url):
    """The published key set. Credentials signed before the `kid` became a URL name the key by its
    bare thumbprint, so the key is listed under that name too and they still verify."""
    current = public_jwk(private_key, base_url)
    return {"keys": [current, {**current, "kid": _thumbprint(_public_okp(private_key))}]}


def _iso(moment):
    return moment.strftime(ISO_FORMAT)


def issuer_profile(base_url):
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": f"{base_url}/issuer",
        "type": ["Profile"],
        "name": "CASOM LMS",
        "url": base_url,
        "description": "Issues certificates for the Comprehensive Approaches to Sex Offender Management curricula.",
    }


def credential(certificate, curriculum_key, summary, base_url, email):
    """The OpenBadgeCredential for one certificate (unsigned JSON)."""
    salt = hashlib.sha256(certificate.code.encode()).hexdigest()[:16]
    identity_hash = "sha256$" + hashlib.sha256((email.lower() + salt).encode()).hexdigest()
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": f"{base_url}/verify/{certificate.display_code}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": _issuer_reference(base_url),
        "validFrom": _iso(certificate.issued_at),
        "name": f"{certificate.curriculum_title}: certificate of completion",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "identityType": "emailAddress", "hashed": True,
                            "identityHash": identity_hash, "salt": salt}],
            "activityEndDate": _iso(certificate.completed_at),
            "creditsEarned": float(certificate.credit_hours),
            "achievement": {
                "id": f"{base_url}/achievements/{curriculum_key}",
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": certificate.curriculum_title,
                "description": summary,
                "creditsAvailable": float(certificate.credit_hours),
                "criteria": {"narrative": (
                    "Completed every required module of Day 1 and Day 2 on the "
                    f"{certificate.track} track, including reading each lesson and passing each module "
                    "quiz, and passed the post-test.")},
            },
        },
        "credentialStatus": {
            "id": f"{base_url}/credentials/status/1#{certificate.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(certificate.status_index),
            "statusListCredential": f"{base_url}/credentials/status/1",
        },
    }


def _issuer_reference(base_url):
    return {"id": f"{base_url}/issuer", "type": ["Profile"], "name": "CASOM LMS", "url": base_url}


#: JOSE `typ` of an Open Badges credential: OB 3.0 §8.2 says "if present, MUST be set to JWT"
OPEN_BADGE_JWT_TYPE = "JWT"
#: JOSE `typ` of other credentials (the status list), as VC-JOSE-COSE registers it
VC_JWT_TYPE = "vc+jwt"


def sign_vc_jwt(payload, private_key, base_url, typ):
    """A VC-JWT: the credential is the JWT payload, signed with EdDSA, with the registered claims
    OB 3.0 requires beside it (iss, jti, and nbf equal to validFrom)."""
    issuer = payload["issuer"]
    claims = {**payload, "iss": issuer if isinstance(issuer, str) else issuer["id"], "jti": payload["id"],
              "nbf": _numeric_date(payload["validFrom"])}
    headers = {"kid": key_id(private_key, base_url), "typ": typ}
    return jwt.encode(claims, private_key, algorithm="EdDSA", headers=headers)


def _numeric_date(iso_moment):
    """A JWT NumericDate (seconds since the epoch) from one of our UTC ISO timestamps."""
    return calendar.timegm(datetime.strptime(iso_moment, ISO_FORMAT).timetuple())


def encoded_status_list(revoked_indexes, highest_index):
    """The GZIP-compressed, multibase base64url bitstring; bit i (left-most first) is 1 if revoked."""
    size = max(STATUS_LIST_MIN_BITS, ((highest_index // 8) + 1) * 8)
    bits = bytearray(size // 8)
    for index in revoked_indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + _b64url(gzip.compress(bytes(bits), mtime=0))


def is_revoked_in(encoded_list, index):
    """Read one bit back from an encoded list (what a verifier does)."""
    raw = gzip.decompress(base64.urlsafe_b64decode(encoded_list[1:] + "=" * (-len(encoded_list[1:]) % 4)))
    return bool(raw[index // 8] & (0x80 >> (index % 8)))


def status_list_credential(base_url, revoked_indexes, highest_index, now):
    url = f"{base_url}/credentials/status/1"
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": f"{base_url}/issuer",
        "validFrom": _iso(now),
        "credentialSubject": {"id": f"{url}#list", "type": "BitstringStatusList", "statusPurpose": "revocation",
                              "encodedList": encoded_status_list(revoked_indexes, highest_index)},
    }

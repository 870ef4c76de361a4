"""Open Badges 3.0: the certificate as an OpenBadgeCredential signed as a VC-JWT (EdDSA, Ed25519),
the issuer's public key as a JWKS, and a Bitstring Status List for revocation."""

import base64
import gzip
import hashlib
import json
import os
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
STATUS_LIST_MIN_BITS = 131072  # the Bitstring Status List minimum (16 KB), so one entry reveals nobody
KEY_FILE = "ob-signing-key.pem"


def load_signing_key(instance_path, configured_pem=None):
    """The Ed25519 issuer key: from configuration, else the instance file (created on first use)."""
    if configured_pem:
        return serialization.load_pem_private_key(configured_pem.encode(), password=None)
    path = Path(instance_path) / KEY_FILE
    if not path.exists():
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def _b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def public_jwk(private_key):
    """The public key as an OKP JWK, with its RFC 7638 thumbprint as `kid`."""
    raw = private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    jwk = {"crv": "Ed25519", "kty": "OKP", "x": _b64url(raw)}
    thumbprint = _b64url(hashlib.sha256(json.dumps(jwk, separators=(",", ":"), sort_keys=True).encode()).digest())
    return {**jwk, "kid": thumbprint, "use": "sig", "alg": "EdDSA"}


def jwks(private_key):
    return {"keys": [public_jwk(private_key)]}


def _iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


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


def sign_vc_jwt(payload, private_key):
    """A VC-JWT (VC-JOSE-COSE): the credential is the JWT payload, signed with EdDSA."""
    claims = dict(payload)
    claims.setdefault("iss", payload["issuer"]["id"])
    claims.setdefault("jti", payload.get("id"))
    headers = {"kid": public_jwk(private_key)["kid"], "typ": "vc+jwt"}
    return jwt.encode(claims, private_key, algorithm="EdDSA", headers=headers)


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

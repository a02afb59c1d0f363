#!/usr/bin/env python3
"""Writes fuzz_jwt's corpus: tokens signed with the target's secret, each
named for what the verifier should make of it. Standard library only.
    fuzz/jwt_corpus.py fuzz/corpus/fuzz_jwt
"""
import base64
import hashlib
import hmac
import json
import pathlib
import sys

SECRET = b"comanda-fuzz-secret-0123456789abcdef"  # fuzz/fuzz_jwt.cpp's kSecret
NOW = 1795000000  # fuzz_jwt.cpp's kNowS
FAR = 4102444800  # 2100-01-01: valid on the real clock too (the Authorization header's check)


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token(header, claims, digest=hashlib.sha256, key=SECRET, signed=True):
    head = b64(json.dumps(header, separators=(",", ":")).encode())
    body = b64(json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode())
    mac = hmac.new(key, f"{head}.{body}".encode(), digest).digest() if signed else b""
    return f"{head}.{body}.{b64(mac)}"


def main(out):
    hs256 = {"alg": "HS256", "typ": "JWT"}
    owner = {"sub": "u-owner-1", "role": "owner", "iat": NOW, "exp": FAR}
    customer = {"sub": "u-cust-1", "role": "customer", "iss": "comanda",
                "aud": ["comanda-api", "web"], "nbf": NOW - 1000, "exp": FAR + 0.5}
    tokens = {
        "valid_hs256.jwt": token(hs256, owner),
        "valid_customer_with_issuer_audience.jwt": token(hs256, customer),
        "expired.jwt": token(hs256, dict(owner, exp=NOW - 10000)),
        "not_yet_valid.jwt": token(hs256, dict(owner, nbf=FAR - 800)),
        "wrong_alg_hs512.jwt": token({"alg": "HS512", "typ": "JWT"}, owner, hashlib.sha512),
        "alg_none.jwt": token({"alg": "none", "typ": "JWT"}, owner, signed=False),
        "wrong_secret.jwt": token(hs256, owner, key=b"not-the-secret-but-as-long-as-it-0123"),
        "unknown_role.jwt": token(hs256, dict(owner, role="root")),
    }
    for name, text in tokens.items():
        (pathlib.Path(out) / name).write_text(text)


if __name__ == "__main__":
    main(sys.argv[1])

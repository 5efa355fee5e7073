"""Keyed hashes, tokens and passwords: how secrets are kept (never in the clear).

- Reporter identities and client addresses are stored only as HMAC-SHA-256 under the
  service's secret key, so the database cannot be searched for an address or an id.
- Session tokens and API keys are random (256 bits) and stored as SHA-256 digests.
- Appeal contacts (what an owner typed to be reached: an e-mail address, a phone number) are
  sealed with AES-256-GCM (the `cryptography` library) under a key derived by HKDF-SHA-256 from
  the service's secret key, so a copy of the database alone reveals none (`Sealer`).
- Passwords are hashed with Argon2id (argon2-cffi's defaults, RFC 9106's second
  recommended option: t=3, m=64 MiB, p=4), re-hashed on login if the parameters change.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets as _random
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

SESSION_PREFIX = "hvs_"
API_KEY_PREFIX = "hvk_"
_hasher = PasswordHasher()


class Keyed:
    """HMAC-SHA-256 under the service key, one domain label per kind of identity.

    The keyed HMAC state is made once and each message continues a copy of it (the standard
    library's `HMAC.copy`): the same value as `hmac.new(key, m, sha256)` without setting the
    key up again on every call (every report and web visit hashes an identity)."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("the secret key must be at least 16 bytes")
        self._keyed = hmac.new(key, digestmod=hashlib.sha256)
        self._cache: dict[tuple[str, str], str] = {}

    def hash(self, domain: str, *parts: str) -> str:
        mac = self._keyed.copy()
        mac.update("\x1f".join((domain, *parts)).encode("utf-8"))
        return mac.hexdigest()

    def hash_cached(self, domain: str, part: str) -> str:
        """hash() for values that recur on every request (a client's address), remembered."""
        cache_key = (domain, part)
        found = self._cache.get(cache_key)
        if found is None:
            if len(self._cache) > 100_000:
                self._cache.clear()
            found = self._cache[cache_key] = self.hash(domain, part)
        return found


class Sealer:
    """Encrypts short texts at rest: AES-256-GCM, a random 96-bit nonce each, under a key derived
    by HKDF-SHA-256 from the service's secret key (its own `purpose`, so it is never the HMAC key).

    A sealed value is ``PREFIX + urlsafe-base64(nonce ‖ ciphertext ‖ tag)``: text, so it
    fits the column it replaces, and told apart from a value still in the clear (`is_sealed`)."""

    PREFIX = "hv1:"

    def __init__(self, key: bytes, purpose: str) -> None:
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                       info=f"hotline-verifier {purpose}".encode()).derive(key)
        self._aead = AESGCM(derived)
        self._purpose = purpose.encode("utf-8")  # associated data: a value sealed for one purpose opens for no other

    @classmethod
    def is_sealed(cls, value: str) -> bool:
        return value.startswith(cls.PREFIX)

    def seal(self, text: str) -> str:
        if self.is_sealed(text):
            return text  # sealing is done once
        nonce = os.urandom(12)
        sealed = nonce + self._aead.encrypt(nonce, text.encode("utf-8"), self._purpose)
        return self.PREFIX + base64.urlsafe_b64encode(sealed).decode("ascii")

    def open(self, value: str) -> str | None:
        """The text of a sealed value (a value in the clear as it is); None when it was sealed
        under another key or is damaged."""
        if not self.is_sealed(value):
            return value
        try:
            raw = base64.urlsafe_b64decode(value[len(self.PREFIX):].encode("ascii"))
            return self._aead.decrypt(raw[:12], raw[12:], self._purpose).decode("utf-8")
        except (InvalidTag, ValueError, binascii.Error):
            return None


def load_or_create_key(configured: str | None, key_file: Path | None) -> bytes:
    """The configured key, or one created once and kept (mode 0600) in `key_file`."""
    if configured:
        return configured.encode("utf-8")
    if key_file is None:
        raise ValueError("no secret key configured")
    if key_file.exists():
        return bytes.fromhex(key_file.read_text().strip())
    key = _random.token_bytes(32)
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key_file.touch(mode=0o600)
    key_file.write_text(key.hex())
    return key


def new_token(prefix: str) -> str:
    return prefix + _random.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def generate_password() -> str:
    return _random.token_urlsafe(15)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def password_needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


# Checked against when a username does not exist, so a failed login takes the same time: the hash
# of a random password nobody kept, with PasswordHasher()'s parameters. A literal, because hashing
# one at import cost every start-up ~0.15 s (tests/ops/test_crypto.py checks it matches the
# parameters, so the timing matches a real account's check).
DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$po91khyU2PDvMaaGnGv8ow$2g8yROGKh0ESamtnGLUpn+Hmtemk9PJ6qvbFL96mFqQ"

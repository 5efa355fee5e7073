"""verifier.ops.crypto: the dummy hash an unknown username is checked against."""

from __future__ import annotations

from argon2 import PasswordHasher, extract_parameters

from verifier.ops.crypto import DUMMY_HASH, check_password, hash_password, password_needs_rehash


def test_dummy_hash_has_the_parameters_of_a_real_password_hash() -> None:
    assert extract_parameters(DUMMY_HASH) == extract_parameters(hash_password("any password at all"))
    assert extract_parameters(DUMMY_HASH) == extract_parameters(PasswordHasher().hash("x"))
    assert not password_needs_rehash(DUMMY_HASH)


def test_no_guess_matches_the_dummy_hash() -> None:
    for guess in ("", "password", "123456", "admin", "dummy"):
        assert not check_password(DUMMY_HASH, guess)


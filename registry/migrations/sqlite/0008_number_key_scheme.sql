-- The version of the canonical number-key rules the stored keys were computed with
-- (verifier.numbers.KEY_SCHEME). Every key written before this migration is of scheme 1.
-- registry/store/rekey.py recomputes reports, appeals and official_numbers keys from their
-- stored numbers when the running code's scheme is newer, in one transaction that also sets
-- this value: once per scheme (issue 15: area-qualified local 96xxx keys, "CN:0731-96511").
INSERT INTO change_counters (name, value) VALUES ('key_scheme', 1);

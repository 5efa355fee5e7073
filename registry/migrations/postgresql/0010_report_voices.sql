-- Voices and weights (issue 16, items 1 and 4; docs/reports.md "Voices and weights"):
-- reports.voice_hash is who a report counts as, decided when it was filed (an app's user while
-- its key still vouches this hour, else the key's one shared voice; NULL for reports stored
-- before, which count as they always did: the reporter for keyed apps and imports, else the
-- client address). api_keys.vouches is how many reports an hour the key's users count as their
-- own voices (NULL: VERIFIER_KEY_VOUCHES_PER_HOUR). reports_by_key answers "how many reports did
-- this key send in the last hour" for the moderators.
ALTER TABLE reports ADD COLUMN voice_hash TEXT COLLATE "C";
ALTER TABLE api_keys ADD COLUMN vouches INTEGER;
CREATE INDEX reports_by_key ON reports (api_key_id, created_at);

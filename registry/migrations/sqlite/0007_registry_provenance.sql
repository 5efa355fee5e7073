-- Provenance people can read, and what makes a list of numbers authoritative (issue 15).
-- official_numbers.source_name: the human name of the source (中国工商银行官网); source_note
-- stays the build notes. official_numbers.shared_with: JSON array of the other organisations
-- that genuinely hold the same number (95188: alipay and mybank).
-- organizations.numbers_complete / numbers_complete_source: a cited source says the list is
-- complete. organizations.home_area_code: where a local 96xxx code listed bare belongs.
ALTER TABLE official_numbers ADD COLUMN source_name TEXT;
ALTER TABLE official_numbers ADD COLUMN shared_with TEXT NOT NULL DEFAULT '[]';
ALTER TABLE organizations ADD COLUMN numbers_complete INTEGER NOT NULL DEFAULT 0;
ALTER TABLE organizations ADD COLUMN numbers_complete_source TEXT;
ALTER TABLE organizations ADD COLUMN home_area_code TEXT;

-- Which official number is the organisation's main hotline (issue 19): official_numbers.main,
-- 1 for the number its source names as the main customer-service line (the shipped registry:
-- the number of the organisation's hotlines_cn.csv row). The channel column may now also hold
-- credit_card and overseas (a TEXT column: nothing to change). Rows stored before keep 0 until
-- the registry is imported again (`verifier registry import registry/data/default_registry.json`).
ALTER TABLE official_numbers ADD COLUMN main INTEGER NOT NULL DEFAULT 0;

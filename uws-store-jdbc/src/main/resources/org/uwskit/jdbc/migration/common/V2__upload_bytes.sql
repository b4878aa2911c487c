-- uwskit JDBC store, schema version 2: the bytes of each job's uploads, so that the per-owner upload quota is one
-- aggregate over the owner index (JdbcJobStore#ownerUsage) instead of parsing params_json.
-- Jobs stored before this version count 0 bytes until their parameters next change.
ALTER TABLE ${prefix}job ADD COLUMN upload_bytes BIGINT DEFAULT 0 NOT NULL;

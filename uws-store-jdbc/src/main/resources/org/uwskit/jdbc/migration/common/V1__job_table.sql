-- uwskit JDBC store, schema version 1 (dialect-neutral: H2 2.x and PostgreSQL).
-- Placeholders: ${prefix} table prefix, ${text} unbounded text type, ${collate_c} binary collation for job ids
-- so that keyset order matches Java's String order.
-- JSON columns hold format_version 1 documents (see org.uwskit.jdbc.internal.JobCodec); never Java serialization.
CREATE TABLE ${prefix}job (
    job_id             VARCHAR(64) ${collate_c} NOT NULL,
    job_list           VARCHAR(255) NOT NULL,
    job_type           VARCHAR(255) NOT NULL,
    run_id             VARCHAR(1024),
    owner_id           VARCHAR(512),
    phase              VARCHAR(16) NOT NULL,
    quote_time         TIMESTAMP(3) WITH TIME ZONE,
    creation_time      TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    start_time         TIMESTAMP(3) WITH TIME ZONE,
    end_time           TIMESTAMP(3) WITH TIME ZONE,
    execution_duration BIGINT NOT NULL,
    destruction        TIMESTAMP(3) WITH TIME ZONE,
    deadline           TIMESTAMP(3) WITH TIME ZONE,
    lease_node         VARCHAR(255),
    lease_expires      TIMESTAMP(3) WITH TIME ZONE,
    lease_backend      VARCHAR(255),
    lease_backend_ref  VARCHAR(1024),
    params_json        ${text} NOT NULL,
    results_json       ${text} NOT NULL,
    error_json         ${text},
    job_info_json      ${text} NOT NULL,
    history_json       ${text} NOT NULL,
    format_version     INT NOT NULL,
    version            BIGINT NOT NULL,
    CONSTRAINT ${prefix}job_pk PRIMARY KEY (job_id)
);

-- job list pages, LAST=n, AFTER: keyset order
CREATE INDEX ${prefix}job_list_idx ON ${prefix}job (job_list, creation_time DESC, job_id DESC);
-- an owner's jobs
CREATE INDEX ${prefix}job_owner_idx ON ${prefix}job (job_list, owner_id, creation_time DESC, job_id DESC);
-- PHASE filters and claiming QUEUED work (oldest first = backward scan)
CREATE INDEX ${prefix}job_phase_idx ON ${prefix}job (job_list, phase, creation_time DESC, job_id DESC);
-- the destruction reaper, the execution-duration watchdog, dead-node recovery
CREATE INDEX ${prefix}job_destruction_idx ON ${prefix}job (destruction);
CREATE INDEX ${prefix}job_deadline_idx ON ${prefix}job (deadline);
CREATE INDEX ${prefix}job_lease_idx ON ${prefix}job (lease_expires);

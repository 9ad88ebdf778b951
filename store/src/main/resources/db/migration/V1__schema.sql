-- devswarm schema, shared by H2 and PostgreSQL; ${json}, ${text} and ${bytes} are set per database by Database.java.
-- JSON documents are small: on H2 they are VARCHAR, because its CLOBs above 256 bytes live out of row and cost a lookup each.

CREATE TABLE instances (
    id               VARCHAR(32)  PRIMARY KEY,
    name             VARCHAR(63)  NOT NULL,
    provider         VARCHAR(63)  NOT NULL,
    status           VARCHAR(16)  NOT NULL,
    status_reason    VARCHAR(4096),
    desired_state    VARCHAR(16)  NOT NULL,
    owner            VARCHAR(255),
    pool             VARCHAR(63),
    active_operation VARCHAR(32),
    spec             ${json}      NOT NULL,
    network          ${json},
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    last_active      TIMESTAMP WITH TIME ZONE,
    version          BIGINT       NOT NULL,
    CONSTRAINT instances_name_unique UNIQUE (name)
);
CREATE INDEX instances_provider_idx ON instances (provider);
CREATE INDEX instances_pool_idx ON instances (pool);
CREATE INDEX instances_status_idx ON instances (status);
CREATE INDEX instances_owner_idx ON instances (owner);

CREATE TABLE operations (
    id            VARCHAR(32) PRIMARY KEY,
    type          VARCHAR(16) NOT NULL,
    status        VARCHAR(16) NOT NULL,
    priority      VARCHAR(16) NOT NULL,
    instance_id   VARCHAR(32),
    instance_name VARCHAR(63),
    payload       ${json},
    attempts      INT         NOT NULL,
    max_attempts  INT         NOT NULL,
    error         VARCHAR(4096),
    result        ${json},
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at    TIMESTAMP WITH TIME ZONE,
    completed_at  TIMESTAMP WITH TIME ZONE,
    worker        VARCHAR(128)
);
CREATE INDEX operations_instance_idx ON operations (instance_id, created_at);
CREATE INDEX operations_created_idx ON operations (created_at);
CREATE INDEX operations_status_idx ON operations (status);

CREATE TABLE executions (
    id           VARCHAR(32) PRIMARY KEY,
    instance_id  VARCHAR(32) NOT NULL,
    operation_id VARCHAR(32),
    command      ${json}     NOT NULL,
    env_names    ${json},
    exit_code    INT         NOT NULL,
    stdout       ${text},
    stderr       ${text},
    timed_out    BOOLEAN     NOT NULL,
    truncated    BOOLEAN     NOT NULL,
    started_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    completed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    duration_ms  BIGINT      NOT NULL
);
CREATE INDEX executions_instance_idx ON executions (instance_id, started_at);

CREATE TABLE pools (
    name       VARCHAR(63) PRIMARY KEY,
    provider   VARCHAR(63) NOT NULL,
    replicas   INT         NOT NULL,
    template   ${json}     NOT NULL,
    owner      VARCHAR(255),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- db-scheduler's table (its documented PostgreSQL DDL, with portable types)
CREATE TABLE scheduled_tasks (
    task_name            VARCHAR(100) NOT NULL,
    task_instance        VARCHAR(100) NOT NULL,
    task_data            ${bytes},
    execution_time       TIMESTAMP WITH TIME ZONE NOT NULL,
    picked               BOOLEAN      NOT NULL,
    picked_by            VARCHAR(128),
    last_success         TIMESTAMP WITH TIME ZONE,
    last_failure         TIMESTAMP WITH TIME ZONE,
    consecutive_failures INT,
    last_heartbeat       TIMESTAMP WITH TIME ZONE,
    version              BIGINT       NOT NULL,
    priority             SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);

-- installation-wide settings, e.g. the installation id every provider labels its resources with
CREATE TABLE settings (
    setting_name  VARCHAR(63) PRIMARY KEY,
    setting_value VARCHAR(4096) NOT NULL
);

-- The team's incident store (docs/team.md). Flyway runs this in the schema "runbook".

-- One row per incident: what `log list --store` shows without reading every event, and the head
-- of its chain (the last event's seq and SHA-256, and the signature of the closed log) that
-- `log verify --store` compares a local log with.
create table incidents (
    id          text primary key,
    runbook     text not null,
    environment text,
    severity    text,
    operator    text,
    host        text,
    opened_at   timestamptz not null,
    closed_at   timestamptz,
    outcome     text,
    head_seq    bigint not null,
    head_hash   text not null,
    signature   text,
    updated_at  timestamptz not null default now()
);

-- Every event, byte for byte as the local log holds it. A replay inserts nothing twice.
create table events (
    incident text not null references incidents (id),
    seq      bigint not null check (seq > 0),
    prev     text not null,
    type     text not null,
    ts       timestamptz not null,
    line     text not null,
    primary key (incident, seq)
);

-- Who holds the (runbook, environment) lock; the lock itself is a session advisory lock on
-- lock_key, so it is released when the holder's connection ends.
create table locks (
    lock_key    bigint primary key,
    runbook     text not null,
    environment text not null,
    incident    text,
    operator    text not null,
    host        text not null,
    pid         bigint not null,
    since       timestamptz not null,
    backend_pid integer not null
);

-- Approvals and denials sent by `runbook approve` for the run to verify and record.
create table approvals (
    id          bigserial primary key,
    incident    text not null,
    step        text not null,
    request     bigint not null,
    attempt     integer not null,
    decision    text not null check (decision in ('granted', 'denied')),
    operator    text not null,
    host        text not null,
    payload     text not null,
    signature   text not null,
    created_at  timestamptz not null default now()
);
create index approvals_by_request on approvals (incident, step, request);

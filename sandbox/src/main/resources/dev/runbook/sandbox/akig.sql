-- Sandbox schema and data of the AKIG database (akig_db), the objects the AKIG runbooks query.
-- Run by dev.runbook.sandbox.Database on a fresh database. No at-signs or dollar-braces here:
-- Maven filters this resource.
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;

CREATE TABLE users (
    id         serial PRIMARY KEY,
    email      text NOT NULL UNIQUE,
    token      text,
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO users (email, token) VALUES
    ('alice.akig.example', 'tok-alice'),
    ('bruno.akig.example', 'tok-bruno'),
    ('chloe.akig.example', 'tok-chloe');

CREATE TABLE contracts (
    id       serial PRIMARY KEY,
    user_id  int NOT NULL REFERENCES users (id),
    title    text NOT NULL,
    amount   numeric(10, 2) NOT NULL
);
INSERT INTO contracts (user_id, title, amount) VALUES
    (1, 'Bail 12 rue des Lilas', 850.00),
    (2, 'Bail 4 avenue Foch', 1200.00),
    (3, 'Bail 7 place du Marché', 640.00);

CREATE TABLE notification_queue (
    id         serial PRIMARY KEY,
    channel    text NOT NULL,
    recipient  text NOT NULL,
    status     text NOT NULL DEFAULT 'pending',
    created_at timestamptz NOT NULL DEFAULT now()
);
-- the notification providers (their status pages and the API read it) and which provider each
-- channel is sent through; a fallback re-routes a channel (RB-P2-003)
CREATE TABLE provider_status (provider text PRIMARY KEY, up boolean NOT NULL);
INSERT INTO provider_status VALUES ('twilio', true), ('sendgrid', true);
CREATE TABLE notification_routing (channel text PRIMARY KEY, provider text NOT NULL REFERENCES provider_status);
INSERT INTO notification_routing VALUES ('sms', 'twilio'), ('email', 'sendgrid');

-- the queue worker: sends the pending messages of every channel whose provider is up
CREATE FUNCTION process_notification_queue()
RETURNS int LANGUAGE sql AS $$
    WITH sent AS (
        UPDATE notification_queue q SET status = 'sent'
          FROM notification_routing r JOIN provider_status p USING (provider)
         WHERE q.status = 'pending' AND q.channel = r.channel AND p.up
        RETURNING q.id)
    SELECT count(*)::int FROM sent
$$;

INSERT INTO notification_queue (channel, recipient, status) VALUES
    ('sms', '+33600000001', 'sent'),
    ('email', 'alice.akig.example', 'sent'),
    ('email', 'bruno.akig.example', 'pending');

-- Sandbox schema and data of the CrewSnow (Supabase) database: feature flags and their
-- functions, Stripe webhooks and the monitoring views, RLS-protected user data and the
-- audit functions the CrewSnow runbooks call. No at-signs or dollar-braces: Maven filters this.
-- faults injected at the database level (runbook sandbox fault NAME) and until when they last
-- (null: until cleared); the monitoring views read them
CREATE TABLE sandbox_faults (fault text PRIMARY KEY, until timestamptz);

CREATE TABLE feature_flags (
    flag_key        text PRIMARY KEY,
    is_enabled         boolean NOT NULL,
    rollout_percentage int NOT NULL DEFAULT 100 CHECK (rollout_percentage BETWEEN 0 AND 100),
    feature_category   text NOT NULL,
    updated_at         timestamptz NOT NULL DEFAULT now()
);
INSERT INTO feature_flags (flag_key, is_enabled, rollout_percentage, feature_category) VALUES
    ('user_registration', true, 100, 'core'),
    ('basic_matching', true, 100, 'core'),
    ('messaging', true, 100, 'core'),
    ('premium_subscriptions', true, 100, 'premium'),
    ('advanced_filters', true, 50, 'premium'),
    ('payments_maintenance_mode', false, 100, 'ops'),
    ('maintenance_mode', false, 100, 'ops'),
    ('emergency_mode', false, 100, 'ops'),
    ('tracker_pro', true, 100, 'premium'),
    ('collaborative_filtering_v2', true, 100, 'beta'),
    ('ai_moderation_auto', false, 0, 'beta'),
    ('voice_messages', false, 0, 'beta'),
    ('group_matching', false, 0, 'future');

CREATE FUNCTION update_feature_flag(p_key text, p_enabled boolean, p_pct int DEFAULT NULL)
RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    UPDATE feature_flags
       SET is_enabled = p_enabled,
           rollout_percentage = COALESCE(p_pct, rollout_percentage),
           updated_at = now()
     WHERE flag_key = p_key;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown feature flag: %', p_key;
    END IF;
    RETURN p_key || ' = ' || p_enabled;
END $$;

CREATE TABLE stripe_webhook_events (
    id          serial PRIMARY KEY,
    event_type  text NOT NULL,
    status      text NOT NULL CHECK (status IN ('succeeded', 'failed')),
    received_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO stripe_webhook_events (event_type, status)
SELECT t, 'succeeded'
  FROM unnest(ARRAY['invoice.paid', 'customer.subscription.updated', 'checkout.session.completed']) t,
       generate_series(1, 20);

-- failure rate per event type over the last hour; ALERT above 5 % (seed: ">5% failure rate")
CREATE VIEW stripe_webhook_monitoring AS
SELECT event_type,
       count(*) AS total,
       count(*) FILTER (WHERE status = 'failed' AND o.down) AS failed,
       round(100.0 * count(*) FILTER (WHERE status = 'failed' AND o.down) / count(*), 1) AS failure_rate,
       CASE WHEN 100.0 * count(*) FILTER (WHERE status = 'failed' AND o.down) / count(*) > 5
            THEN 'ALERT: failure rate > 5%' ELSE 'OK' END AS webhook_status
  FROM stripe_webhook_events
  -- once Stripe is back its automatic retries deliver the failed webhooks: they stop counting
  CROSS JOIN (SELECT EXISTS (SELECT 1 FROM sandbox_faults
                              WHERE fault = 'stripe-outage' AND (until IS NULL OR until > now())) AS down) o
 WHERE received_at > now() - interval '1 hour'
 GROUP BY event_type;

CREATE VIEW feature_flags_monitoring AS
SELECT feature_category, count(*) AS flags, count(*) FILTER (WHERE is_enabled) AS enabled
  FROM feature_flags GROUP BY feature_category;

CREATE VIEW system_health_monitoring AS
SELECT (SELECT count(*) FROM pg_stat_activity) AS connections,
       (SELECT count(*) FROM stripe_webhook_monitoring WHERE webhook_status LIKE 'ALERT%') AS webhook_alerts,
       (SELECT count(*) FROM feature_flags WHERE feature_category = 'core' AND NOT is_enabled) AS core_flags_off;

-- user data protected by row level security: a user sees only their own rows
-- roles are cluster-wide: the role survives a re-creation of the database
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'crewsnow_user') THEN
        CREATE ROLE crewsnow_user NOLOGIN;
    END IF;
END $$;
CREATE TABLE profiles (
    id      serial PRIMARY KEY,
    user_id int NOT NULL,
    name    text NOT NULL
);
CREATE TABLE matches (
    id      serial PRIMARY KEY,
    user_id int NOT NULL,
    partner text NOT NULL
);
INSERT INTO profiles (user_id, name) VALUES (1, 'Léa'), (2, 'Marc');
INSERT INTO matches (user_id, partner) VALUES (1, 'Marc'), (1, 'Inès'), (2, 'Léa');
-- the sandbox's last good backup of matches, taken at creation (db-corruption is fixed by a restore)
CREATE TABLE matches_backup AS SELECT * FROM matches;
GRANT SELECT ON profiles, matches TO crewsnow_user;
ALTER TABLE profiles ENABLE ROW LEVEL SECURITY;
ALTER TABLE matches ENABLE ROW LEVEL SECURITY;
CREATE POLICY profiles_owner ON profiles USING (user_id = current_setting('app.user_id', true)::int);
CREATE POLICY matches_owner ON matches USING (user_id = current_setting('app.user_id', true)::int);

-- the RLS-protected tables and the policy each must have
CREATE TABLE rls_expected_policies (table_name text PRIMARY KEY, policy_name text NOT NULL);
INSERT INTO rls_expected_policies VALUES ('profiles', 'profiles_owner'), ('matches', 'matches_owner');

-- SECURE: RLS on, the expected owner policy present, no policy that lets every row through
CREATE FUNCTION audit_all_rls_policies()
RETURNS TABLE (table_name text, policy_count int, status text) LANGUAGE sql STABLE AS $$
    SELECT e.table_name,
           (SELECT count(*)::int FROM pg_policies p WHERE p.tablename = e.table_name),
           CASE
               WHEN NOT c.relrowsecurity THEN 'RLS_DISABLED'
               WHEN EXISTS (SELECT 1 FROM pg_policies p WHERE p.tablename = e.table_name AND p.qual = 'true')
                   THEN 'LEAK: policy USING (true)'
               WHEN NOT EXISTS (SELECT 1 FROM pg_policies p
                                 WHERE p.tablename = e.table_name AND p.policyname = e.policy_name)
                   THEN 'MISSING_POLICY'
               ELSE 'SECURE'
           END
      FROM rls_expected_policies e
      JOIN pg_class c ON c.relname = e.table_name AND c.relkind = 'r'
     ORDER BY 1
$$;

CREATE FUNCTION run_day1_database_security_audit()
RETURNS text LANGUAGE sql STABLE AS $$
    SELECT count(*) FILTER (WHERE status <> 'SECURE') || ' table(s) not secure out of ' || count(*)
      FROM audit_all_rls_policies()
$$;

CREATE FUNCTION make_go_no_go_decision()
RETURNS text LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN (SELECT webhook_alerts FROM system_health_monitoring) = 0
                 AND NOT EXISTS (SELECT 1 FROM audit_all_rls_policies() WHERE status <> 'SECURE')
                 AND NOT EXISTS (SELECT * FROM matches_backup EXCEPT SELECT * FROM matches)
                THEN 'GO' ELSE 'NO-GO' END
$$;

CREATE FUNCTION make_launch_decision()
RETURNS text LANGUAGE sql STABLE AS $$ SELECT make_go_no_go_decision() $$;


-- the Edge Functions and the flag each one serves; heavy ones time out and fail under supabase-5xx
CREATE TABLE edge_functions (
    function_name text PRIMARY KEY,
    flag_key      text NOT NULL REFERENCES feature_flags (flag_key),
    heavy         boolean NOT NULL,
    latency_ms    int NOT NULL
);
INSERT INTO edge_functions VALUES
    ('matching', 'basic_matching', false, 120),
    ('messaging', 'messaging', false, 80),
    ('recommendations', 'collaborative_filtering_v2', true, 240),
    ('tracker-sync', 'tracker_pro', true, 310),
    ('stripe-webhook', 'premium_subscriptions', false, 90);

-- a function fails while its flag is on and: supabase-5xx is injected and it is heavy, or
-- flag-regression is injected and it serves tracker_pro (a release of tracker_pro that breaks)
CREATE VIEW edge_functions_monitoring AS
SELECT f.function_name,
       f.flag_key,
       CASE WHEN h.hot THEN 4200 ELSE f.latency_ms END AS avg_latency_ms,
       CASE WHEN h.hot THEN 'SLOW: > 2000ms' ELSE 'OK' END AS latency_status,
       CASE WHEN h.hot THEN 38.5 ELSE 0.4 END AS error_rate
  FROM edge_functions f
  JOIN feature_flags ff USING (flag_key)
  CROSS JOIN LATERAL (SELECT ff.is_enabled AND ff.rollout_percentage > 0
                             AND (f.heavy AND EXISTS (SELECT 1 FROM sandbox_faults WHERE fault = 'supabase-5xx')
                                  OR f.flag_key = 'tracker_pro'
                                     AND EXISTS (SELECT 1 FROM sandbox_faults WHERE fault = 'flag-regression'))
                             AS hot) h;

CREATE VIEW error_rate_monitoring AS
SELECT function_name AS endpoint,
       error_rate,
       CASE WHEN error_rate > 5 THEN 'ALERT: error rate > 5%' ELSE 'OK' END AS error_status
  FROM edge_functions_monitoring;

CREATE VIEW connection_monitoring AS
SELECT count(*)::int AS active_connections,
       current_setting('max_connections')::int AS max_connections,
       CASE WHEN count(*) > 0.8 * current_setting('max_connections')::int THEN 'ALERT: > 80% used' ELSE 'OK' END
           AS connection_status
  FROM pg_stat_activity;

CREATE FUNCTION performance_health_check()
RETURNS TABLE (metric text, value numeric, status text) LANGUAGE sql STABLE AS $$
    SELECT 'edge_functions_slow', count(*)::numeric,
           CASE WHEN count(*) = 0 THEN 'OK' ELSE 'ALERT' END
      FROM edge_functions_monitoring WHERE latency_status <> 'OK'
    UNION ALL
    SELECT 'endpoints_error_rate_alert', count(*)::numeric,
           CASE WHEN count(*) = 0 THEN 'OK' ELSE 'ALERT' END
      FROM error_rate_monitoring WHERE error_status LIKE 'ALERT%'
    UNION ALL
    SELECT 'active_connections', active_connections::numeric, connection_status FROM connection_monitoring
$$;

CREATE FUNCTION analyze_slow_queries()
RETURNS TABLE (query text, calls bigint, avg_time_ms numeric) LANGUAGE sql STABLE AS $$
    SELECT 'SELECT * FROM ' || replace(function_name, '-', '_') || '_events ORDER BY created_at', 1200::bigint,
           avg_latency_ms::numeric
      FROM edge_functions_monitoring
     WHERE latency_status <> 'OK'
$$;

CREATE FUNCTION generate_rls_checklist()
RETURNS TABLE (item text, done boolean) LANGUAGE sql STABLE AS $$
    SELECT 'RLS ' || table_name || ' : ' || status, status = 'SECURE' FROM audit_all_rls_policies()
$$;


CREATE FUNCTION test_backup_restore_procedure()
RETURNS TABLE (check_name text, status text) LANGUAGE sql STABLE AS $$
    SELECT 'backup matches_backup', CASE WHEN count(*) > 0 THEN 'OK' ELSE 'FAILED: empty backup' END
      FROM matches_backup
$$;

CREATE FUNCTION run_performance_maintenance()
RETURNS text LANGUAGE sql STABLE AS $$
    SELECT 'statistics fresh on ' || count(*) || ' tables (VACUUM ANALYZE runs outside a function)'
      FROM pg_stat_user_tables
$$;

CREATE FUNCTION run_gdpr_maintenance()
RETURNS text LANGUAGE sql AS $$
    SELECT 'GDPR: ' || count(*) || ' profiles kept, 0 expired' FROM profiles
$$;

package dev.runbook.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which queries a protected environment confirms (docs/format.md): attacked with queries that
 * change the world behind a {@code SELECT} (a user function, possibly hidden by case, spacing,
 * schema, quotes or a CTE) — each must count as mutating — and with plain reads that must not.
 */
class SqlMutatingTest {

    private static boolean mutating(String query) {
        return new ActionSpec.Sql(query, null, null, null, null).mutating();
    }

    @Test
    void aSelectThatCallsAUserFunctionMutates() {
        List<String> changing = List.of(
                "SELECT update_feature_flag('premium_subscriptions', false)",
                "select UPDATE_FEATURE_FLAG('x', true, 10)",
                "SELECT   public.update_feature_flag ( 'x' , false )",
                "SELECT * FROM run_gdpr_maintenance()",
                "SELECT process_notification_queue() AS sent",
                "SELECT count(*), reset_everything() FROM t",
                "SELECT 'count(' || drop_it('now()')",
                "WITH x AS (SELECT purge()) SELECT * FROM x",
                "WITH d AS (DELETE FROM t RETURNING 1) SELECT count(*) FROM d",
                "SELECT pg_terminate_backend(42)",
                "SELECT setval('seq', 1)",
                "UPDATE feature_flags SET is_enabled = false",
                "DELETE FROM matches",
                "  insert into t values (1)",
                "EXPLAIN ANALYZE DELETE FROM matches",
                "explain (analyze, buffers) update t set a = 1");
        int held = 0;
        for (String q : changing) {
            assertThat(mutating(q)).as(q).isTrue();
            held++;
        }
        assertThat(held).isEqualTo(changing.size());
    }

    @Test
    void plainReadsDoNotNeedAConfirmation() {
        for (String q : List.of(
                "SELECT version()",
                "SELECT count(*) FROM notification_queue WHERE status = 'pending'",
                "SELECT 'update_feature_flag(x)' AS text_only",
                "SELECT flag_key, is_enabled FROM feature_flags WHERE flag_key IN ('a', 'b')",
                "SELECT pg_is_in_recovery(), now() - pg_last_xact_replay_timestamp()",
                "SHOW max_connections",
                "EXPLAIN SELECT 1")) {
            assertThat(mutating(q)).as(q).isFalse();
        }
    }
}

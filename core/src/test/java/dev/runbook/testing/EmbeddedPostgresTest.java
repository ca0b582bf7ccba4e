package dev.runbook.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresTest {

    @Test
    void startsAndAuthenticatesByPassword() throws Exception {
        String db = EmbeddedPostgres.createDatabase("smoke");
        try (Connection c = EmbeddedPostgres.connect(db);
                ResultSet rs = c.createStatement().executeQuery("SELECT current_database(), current_user")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(db);
            assertThat(rs.getString(2)).isEqualTo(EmbeddedPostgres.user());
        }
        assertThatThrownBy(() ->
                        DriverManager.getConnection(EmbeddedPostgres.jdbcUrl(db), EmbeddedPostgres.user(), "wrong"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
    }
}

package dev.runbook.model;

/**
 * The team's shared incident store ({@code store:} at the top of {@code environments.yaml},
 * docs/team.md): a PostgreSQL database reached through the JDBC driver.
 *
 * @param url as a database's ({@code dev.runbook.postgres.Libpq}): {@code
 *     jdbc:postgresql://HOST:PORT/DATABASE}, {@code postgresql://…} or {@code service=NAME}
 * @param user the role; null: the driver's default ({@code PGUSER}, else the OS user)
 * @param password {@code ${secrets.NAME}} (read from the environment variable NAME), or null:
 *     the driver's libpq conventions ({@code PGPASSWORD}, {@code ~/.pgpass})
 */
public record StoreRef(String url, String user, String password) {}

package dev.runbook.store;

import dev.runbook.approval.ApprovalCheck;
import dev.runbook.approval.ApprovalPayload;
import dev.runbook.approval.ApprovalSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;

/**
 * Approvals through the team store (docs/team.md, "Approvals"): {@code runbook approve} inserts a
 * signed approval into {@code runbook.approvals} and NOTIFYs {@link #CHANNEL}; the waiting run
 * LISTENs on its own connection and reads what arrived for its request. A store that cannot be
 * reached only delays approvals: the wait goes on and the connection is made again.
 */
public final class StoreApprovals implements ApprovalSource, AutoCloseable {

    /** The LISTEN/NOTIFY channel of new approvals; the payload is the incident id. */
    public static final String CHANNEL = "runbook_approvals";

    private final Store store;
    private Connection listening;
    private long lastId;

    /** @param store the team store */
    public StoreApprovals(Store store) {
        this.store = store;
    }

    @Override
    public Arrival next(ApprovalCheck.Pending pending, String command, long waitMs) throws InterruptedException {
        try {
            if (listening == null) {
                listening = store.connect();
                try (var s = listening.createStatement()) {
                    s.execute("listen " + CHANNEL);
                }
            }
            List<Submitted> got = read(listening, pending);
            if (got.isEmpty()) {
                listening.unwrap(PGConnection.class).getNotifications((int) Math.max(1, waitMs));
                got = read(listening, pending);
            }
            return new Some(got);
        } catch (SQLException e) {
            close();
            Thread.sleep(Math.max(1, waitMs));
            return new Some(List.of());
        }
    }

    private List<Submitted> read(Connection c, ApprovalCheck.Pending pending) throws SQLException {
        List<Submitted> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("select id, payload, signature from approvals where incident = ?"
                + " and step = ? and id > ? order by id")) {
            p.setString(1, pending.incident());
            p.setString(2, pending.step());
            p.setLong(3, lastId);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    lastId = r.getLong(1);
                    out.add(new Submitted(r.getString(2), r.getString(3)));
                }
            }
        }
        return out;
    }

    /**
     * Sends one signed approval ({@code runbook approve}), in one transaction with its NOTIFY.
     *
     * @param c a connection
     * @param payload what was signed
     * @param signature the armored SSHSIG
     * @param operator who sends it (as they name themselves; the signature says who they are)
     * @param host their machine
     * @return the approval's id
     * @throws SQLException when the store fails
     */
    public static long submit(Connection c, ApprovalPayload payload, String signature, String operator, String host)
            throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement p = c.prepareStatement("insert into approvals (incident, step, request, attempt,"
                        + " decision, operator, host, payload, signature) values (?,?,?,?,?,?,?,?,?) returning id");
                PreparedStatement n = c.prepareStatement("select pg_notify(?, ?)")) {
            p.setString(1, payload.incident());
            p.setString(2, payload.step());
            p.setLong(3, payload.request());
            p.setInt(4, payload.attempt());
            p.setString(5, payload.decision().wire());
            p.setString(6, operator);
            p.setString(7, host);
            p.setString(8, payload.text());
            p.setString(9, signature);
            long id;
            try (ResultSet r = p.executeQuery()) {
                r.next();
                id = r.getLong(1);
            }
            n.setString(1, CHANNEL);
            n.setString(2, payload.incident());
            n.execute();
            c.commit();
            return id;
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    @Override
    public String via() {
        return "store";
    }

    @Override
    public void close() {
        if (listening != null) {
            try {
                listening.close();
            } catch (SQLException ignored) {
                // gone
            }
            listening = null;
        }
    }
}

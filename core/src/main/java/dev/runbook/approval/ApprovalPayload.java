package dev.runbook.approval;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an approver signs (docs/team.md, "Approvals"): the incident, the step, the approval
 * request (its {@code seq} in the log, unique per incident, so a signature never approves another
 * request), the step's attempt, the SHA-256 of the exact resolved command as the log shows it,
 * and the decision. Signed as SSHSIG in the namespace {@link #NAMESPACE}, so a signature made for
 * a log or a git commit does not count as an approval.
 *
 * @param incident the incident id
 * @param step the step id
 * @param request the {@code approval.requested} event's seq
 * @param attempt the step's attempt the approval is for
 * @param commandSha256 lowercase hex SHA-256 of the command's UTF-8 bytes
 * @param decision {@code granted} or {@code denied}
 */
public record ApprovalPayload(
        String incident, String step, long request, int attempt, String commandSha256, Decision decision) {

    /** The SSHSIG namespace of approvals. */
    public static final String NAMESPACE = "runbook-approval";

    private static final String HEADER = "runbook approval v1";

    /** An approver's answer. */
    public enum Decision {
        GRANTED,
        DENIED;

        /** The word on the wire: {@code granted}, {@code denied}. */
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The exact text signed: one {@code key value} line per field, in this order. */
    public String text() {
        return HEADER + "\nincident " + incident + "\nstep " + step + "\nrequest " + request + "\nattempt " + attempt
                + "\ncommand-sha256 " + commandSha256 + "\ndecision " + decision.wire() + "\n";
    }

    /** {@link #text()} as UTF-8 bytes. */
    public byte[] bytes() {
        return text().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads a payload's text.
     *
     * @throws IllegalArgumentException when it is not one
     */
    public static ApprovalPayload parse(String text) {
        String[] lines = text.split("\n");
        if (lines.length != 7 || !lines[0].equals(HEADER)) {
            throw new IllegalArgumentException("not a runbook approval");
        }
        Map<String, String> f = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int sp = lines[i].indexOf(' ');
            if (sp < 0) {
                throw new IllegalArgumentException("not a runbook approval (line " + (i + 1) + ")");
            }
            f.put(lines[i].substring(0, sp), lines[i].substring(sp + 1));
        }
        try {
            ApprovalPayload p = new ApprovalPayload(
                    f.get("incident"),
                    f.get("step"),
                    Long.parseLong(f.get("request")),
                    Integer.parseInt(f.get("attempt")),
                    f.get("command-sha256"),
                    Decision.valueOf(f.get("decision").toUpperCase(java.util.Locale.ROOT)));
            if (!p.text().equals(text)) {
                throw new IllegalArgumentException("not a runbook approval (fields out of order)");
            }
            return p;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a runbook approval: " + e.getMessage(), e);
        }
    }
}

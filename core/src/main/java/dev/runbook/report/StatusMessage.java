package dev.runbook.report;

import dev.runbook.journal.EventType;
import dev.runbook.journal.JournalReader;
import dev.runbook.model.Outcome;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Communication messages for Slack or e-mail, from the seeds' templates
 * (gestion-incidents.md "Template Notification Initiale / Update / Résolution", in their
 * language, and the key messages of procedure-rollback-production.md section 4), filled
 * from the log. What only a person knows stays as {@code [à compléter : …]}.
 */
public final class StatusMessage {

    /** The templates, as {@code --template} names them. */
    public static final List<String> TEMPLATES = List.of("initial", "update", "resolution");

    private static final String TODO = "[à compléter : ";

    private StatusMessage() {}

    /**
     * Renders one message.
     *
     * @param template {@code initial}, {@code update} or {@code resolution}
     * @param now the moment the message is written; used for the elapsed time of an unfinished incident
     * @return Markdown text (Slack-compatible bold), lines ending in {@code \n}
     * @throws IllegalArgumentException for an unknown template
     */
    public static String render(Incident in, String template, Instant now) {
        long elapsed = in.closed()
                ? in.durationMs()
                : Math.max(0, Duration.between(in.start(), now).toMillis());
        StringBuilder b = new StringBuilder();
        if (!in.integrity().ok()) {
            b.append("⚠️ Journal d'incident NON VÉRIFIÉ (ligne ")
                    .append(in.integrity().badLine())
                    .append(" : ")
                    .append(in.integrity().reason())
                    .append(")\n\n");
        }
        switch (template) {
            case "initial" -> initial(b, in);
            case "update" -> update(b, in, elapsed);
            case "resolution" -> resolution(b, in, elapsed);
            default ->
                throw new IllegalArgumentException(
                        "unknown template '" + template + "' (initial, update or resolution)");
        }
        return b.toString();
    }

    /**
     * The message of a template for a log a run is still writing (the updates a runbook posts to
     * its channel, docs/format.md "Chat channels").
     *
     * @param log the incident log
     * @param template {@code initial}, {@code update} or {@code resolution}
     * @param closing the outcome it is about to close with (the resolution is written before {@code
     *     incident.closed}); null while it runs
     * @param verified with {@code closing}: its verify section passed
     * @param now the moment the message is written
     * @throws IOException when the log cannot be read
     */
    public static String live(Path log, String template, Outcome closing, boolean verified, Instant now)
            throws IOException {
        JournalReader.Log read = JournalReader.readLog(log);
        List<JournalReader.Event> events = new ArrayList<>(read.events());
        if (closing != null && !events.isEmpty()) {
            JournalReader.Event first = events.get(0);
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("seq", events.size() + 1);
            f.put("ts", now.toString());
            f.put("type", "incident.closed");
            f.put("incident", first.str("incident"));
            f.put("outcome", closing.logName());
            f.put(
                    "duration_ms",
                    Duration.between(Instant.parse(first.str("ts")), now).toMillis());
            f.put("verified", verified);
            events.add(new JournalReader.Event(events.size() + 1, "", f));
        }
        Incident in = IncidentParser.parse(
                events,
                new Integrity(true, events.size(), 0, null, false),
                log.getFileName().toString());
        return render(in, template, now);
    }

    private static String title(Incident in) {
        return "INCIDENT " + in.severities().get(in.severities().size() - 1) + " - " + in.runbookTitle();
    }

    private static void initial(StringBuilder b, Incident in) {
        b.append("🚨 **").append(title(in)).append("**\n\n");
        b.append("**Statut**: En cours d'investigation\n");
        b.append("**Début**: ")
                .append(Text.hoursMinutes(in.start()))
                .append(" UTC (")
                .append(Text.date(in.start()))
                .append(")\n");
        b.append("**Impact**: ").append(TODO).append("impact utilisateurs]\n");
        b.append("**Affectés**: ").append(TODO).append("tous, région, segment]\n");
        b.append("**Runbook**: ")
                .append(in.runbookId())
                .append(" (env ")
                .append(in.env())
                .append(")\n\n");
        b.append("**Équipe assignée**: ").append(team(in)).append('\n');
        b.append("**Canal**: #incident-").append(Text.date(in.start())).append("\n\n");
        b.append("Incident en production détecté. Investigation en cours.\n");
        b.append("Prochain update dans 15 minutes.\n");
    }

    private static void update(StringBuilder b, Incident in, long elapsed) {
        b.append("📊 **UPDATE ").append(title(in)).append("**\n\n");
        b.append("**Statut**: ").append(status(in)).append('\n');
        b.append("**Durée**: ").append(hoursMinutes(elapsed)).append("\n\n");
        b.append("**Progrès**:\n");
        List<TimelineEntry> recent = progress(in);
        if (recent.isEmpty()) {
            b.append("- aucune action encore\n");
        }
        recent.forEach(e -> b.append("- ")
                .append(Text.hoursMinutes(e.ts()))
                .append(" - ")
                .append(e.text())
                .append('\n'));
        if (in.rolledBackStarted()) {
            b.append("\nDéclenchement de la procédure de rollback : ")
                    .append(ReportFacts.rollbackReason(in))
                    .append(".\n");
        }
        String current = in.currentStep();
        b.append("\n**Étape en cours**: ")
                .append(current == null ? (in.closed() ? "aucune (incident clos)" : "aucune") : current)
                .append('\n');
        b.append("**Prochaines étapes**: ").append(TODO).append("actions planifiées]\n\n");
        b.append(in.closed() ? "Incident clos (" + in.outcomeLabel() + ").\n" : "Prochain update dans 15 minutes.\n");
    }

    private static void resolution(StringBuilder b, Incident in, long elapsed) {
        String head = in.restored()
                ? "✅ **RÉSOLU - "
                : in.closed()
                        ? "⚠️ **CLOS SANS RÉSOLUTION (" + in.outcomeLabel() + ") - "
                        : "⏳ **EN COURS (pas encore résolu) - ";
        b.append(head).append(title(in)).append("**\n\n");
        b.append("**Durée totale**: ").append(hoursMinutes(elapsed)).append('\n');
        b.append("**Cause**: ").append(TODO).append("résumé cause racine]\n");
        b.append("**Résolution**: ").append(ReportFacts.mitigation(in)).append("\n\n");
        b.append("**Impact final**:\n- Utilisateurs affectés: ~").append(TODO).append("nombre]\n");
        b.append("- Durée d'indisponibilité: ").append(hoursMinutes(elapsed)).append("\n\n");
        if (in.outcomeType().orElse(null) == Outcome.ROLLED_BACK) {
            b.append(
                    "Rollback terminé. Le système est de nouveau opérationnel. Une analyse post-mortem sera effectuée.\n\n");
        }
        b.append("Post-mortem prévu: ")
                .append(TODO)
                .append("date] (runbook log export ")
                .append(in.id())
                .append(")\n");
    }

    private static String status(Incident in) {
        if (!in.closed()) {
            return in.rolledBackStarted() ? "En cours (rollback)" : "En cours";
        }
        Outcome o = in.outcomeType().orElse(null);
        if (o == Outcome.RESOLVED) {
            return "Résolu";
        }
        return o == Outcome.ROLLED_BACK ? "Mitigé (rollback)" : "Clos sans résolution (" + in.outcomeLabel() + ")";
    }

    private static String team(Incident in) {
        return in.operators().isEmpty() ? TODO + "@on-call]" : "@" + String.join(" @", in.operators());
    }

    /** The last five facts worth telling: finished steps, decisions, notes, rollback, SLA. */
    private static List<TimelineEntry> progress(Incident in) {
        List<TimelineEntry> facts = in.timeline().stream()
                .filter(e -> !EventType.STEP_STARTED.is(e.type())
                        && !EventType.INCIDENT_OPENED.is(e.type())
                        && !EventType.INCIDENT_CLOSED.is(e.type()))
                .toList();
        return facts.subList(Math.max(0, facts.size() - 5), facts.size());
    }

    /** {@code 1h 05min}, {@code 0h 12min}: the seeds' "Xh Xmin". */
    static String hoursMinutes(long ms) {
        long m = ms / 60_000;
        return (m / 60) + "h " + String.format("%02d", m % 60) + "min";
    }
}

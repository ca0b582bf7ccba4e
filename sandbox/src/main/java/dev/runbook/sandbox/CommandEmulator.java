package dev.runbook.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The shell of the sandbox's SSH hosts: interprets the service-management commands the
 * runbooks send ({@code pm2}, {@code systemctl}, {@code redis-cli}, {@code kubectl rollout},
 * {@code git checkout}, {@code journalctl}, and the {@code JWT_SECRET} check and restore of
 * RB-P1-002) by acting on the sandbox's own services. Commands may be chained with
 * {@code &&} and prefixed with {@code sudo}; {@code export NAME=VALUE} and {@code cd DIR}
 * succeed. A pipeline after an emulated command keeps its output ({@code | tail}, {@code | grep}
 * are not applied). Anything else exits 127 with "not emulated in sandbox" on stderr.
 */
public final class CommandEmulator {

    /** The exit code of a command the sandbox does not emulate (as a shell's "command not found"). */
    public static final int NOT_EMULATED = 127;

    /**
     * What a command printed and its exit code.
     *
     * @param exit 0 success
     * @param out standard output
     * @param err standard error
     */
    public record Result(int exit, String out, String err) {}

    /** The only kubectl context of the sandbox (the inventory's {@code kube_context}). */
    public static final String KUBE_CONTEXT = "sandbox";
    /** The only namespace of that context (the inventory's {@code kube_namespace}). */
    public static final String KUBE_NAMESPACE = "default";
    /** The deployment of the generic service (GEN-K8S-SERVICE's default {@code deployment}). */
    public static final String API_DEPLOYMENT = "api";
    /** The deployment that runs the AKIG backend. */
    public static final String BACKEND_DEPLOYMENT = "akig-backend";

    /**
     * RB-P1-002's restore: the {@code JWT_SECRET} line of the backup {@code env.production} is
     * appended to {@code .env} (after the old line was deleted).
     */
    private static final java.util.regex.Pattern JWT_RESTORE = java.util.regex.Pattern.compile(
            "^grep\\s+'\\^JWT_SECRET='\\s+'?[^'\\s]*env\\.production'?\\s*>>\\s*\\.env\\s*$");

    private final Sandbox sandbox;
    /** The {@code DATABASE_URL} exported earlier in the command line being run; null when none. */
    private String exported;

    /** @param sandbox the services the commands act on */
    public CommandEmulator(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    /**
     * Runs one command line.
     *
     * @param commandLine as received by the SSH {@code exec} channel
     * @return its output and exit code; never null
     */
    public Result run(String commandLine) {
        String line = commandLine.trim();
        if (line.contains("JWT_SECRET") && line.contains("sha256sum")) {
            return jwtCompare(line);
        }
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        exported = null;
        for (String part : splitAnd(line)) {
            Result r = part.contains("JWT_SECRET") ? jwt(part.trim()) : one(part.split("\\|", 2)[0].trim());
            out.append(r.out());
            err.append(r.err());
            if (r.exit() != 0) {
                return new Result(r.exit(), out.toString(), err.toString());
            }
        }
        return new Result(0, out.toString(), err.toString());
    }

    private Result one(String cmd) {
        List<String> w = words(cmd);
        if (!w.isEmpty() && w.get(0).equals("sudo")) {
            w = w.subList(1, w.size());
        }
        if (w.isEmpty()) {
            return ok("");
        }
        switch (w.get(0)) {
            case "export":
                for (String a : w.subList(1, w.size())) {
                    if (a.startsWith("DATABASE_URL=")) {
                        exported = a.substring("DATABASE_URL=".length());
                    }
                }
                return ok("");
            case "cd":
            case "true":
                return ok("");
            case "pm2":
                return pm2(w);
            case "systemctl":
                return systemctl(w);
            case "redis-cli":
                return redis(w);
            case "kubectl":
                return kubectl(w);
            case "git":
                return git(w);
            case "npm":
                return npm(w);
            case "journalctl":
                return ok(String.join("\n", sandbox.services().journal()) + "\n");
            default:
                return notEmulated(String.join(" ", w));
        }
    }

    /** {@code npm run build} (after {@code cd …/frontend}): rebuilds the frontend. */
    private Result npm(List<String> w) {
        if (w.size() == 3 && w.get(1).equals("run") && w.get(2).equals("build")) {
            sandbox.services().buildFrontend();
            return ok("> akig-frontend@1.0.0 build\n> vite build\n✓ built in 1.2s\n");
        }
        return notEmulated(String.join(" ", w));
    }

    private Result pm2(List<String> w) {
        String verb = w.size() > 1 ? w.get(1) : "";
        String name = w.size() > 2 ? w.get(2) : "";
        Services s = sandbox.services();
        switch (verb) {
            case "restart":
            case "reload":
            case "start":
                if (name.equals("akig-backend") || name.equals("all")) {
                    if (exported != null && w.contains("--update-env")) {
                        s.backendDatabase(databaseOf(exported));
                    }
                    s.restartBackend();
                    return ok("[PM2] Applying action restartProcessId on app [" + name + "]\n" + "[PM2] [" + name
                            + "] ✓\n" + table());
                }
                if (name.equals("akig-frontend")) {
                    s.restartFrontend();
                    return ok("[PM2] [akig-frontend] ✓\n" + table());
                }
                return new Result(1, "", "[PM2][ERROR] Process or Namespace " + name + " not found\n");
            case "stop":
                if (name.equals("akig-backend")) {
                    s.stopBackend("stopped by pm2");
                    return ok(table());
                }
                return new Result(1, "", "[PM2][ERROR] Process or Namespace " + name + " not found\n");
            case "status":
            case "list":
            case "ls":
                return ok(table());
            default:
                return notEmulated(String.join(" ", w));
        }
    }

    /** Which server a {@code postgresql://USER[:PW]@HOST:PORT/akig_db} URL names. */
    private Services.BackendDatabase databaseOf(String url) {
        try {
            java.net.URI u = java.net.URI.create(url);
            boolean akig = "127.0.0.1".equals(u.getHost()) && "/akig_db".equals(u.getPath());
            if (akig && u.getPort() == sandbox.config().replicaPort()) {
                return Services.BackendDatabase.REPLICA;
            }
            if (akig && u.getPort() == sandbox.config().pgPort()) {
                return Services.BackendDatabase.PRIMARY;
            }
        } catch (IllegalArgumentException e) {
            // not a URL: unreachable
        }
        return Services.BackendDatabase.UNREACHABLE;
    }

    private String table() {
        Services s = sandbox.services();
        return String.format(
                Locale.ROOT,
                "│ id │ name          │ status  │ restarts │ mem      │%n"
                        + "│ 0  │ akig-backend  │ %-7s │ %-8d │ %-8s │%n"
                        + "│ 1  │ akig-frontend │ %-7s │ 0        │ 64mb     │%n",
                s.backendOnline() ? "online" : "errored",
                s.backendRestarts(),
                s.memoryMb() + "mb",
                s.frontendOnline() ? "online" : "errored");
    }

    private Result systemctl(List<String> w) {
        String verb = w.size() > 1 ? w.get(1) : "";
        String unit = w.size() > 2 ? w.get(2).replaceFirst("\\.service$", "") : "";
        boolean pg = unit.equals("postgresql");
        boolean backend = unit.equals("akig-backend");
        boolean redis = unit.equals("redis") || unit.equals("redis-server");
        if (!pg && !backend && !redis) {
            return new Result(
                    5, "", "Failed to " + verb + " " + unit + ".service: Unit " + unit + ".service not found.\n");
        }
        try {
            switch (verb) {
                case "restart":
                case "start":
                    if (pg && sandbox.services().primaryBroken()) {
                        return new Result(
                                1,
                                "",
                                "Job for postgresql.service failed because the control process exited with error"
                                        + " code.\nPANIC:  could not locate a valid checkpoint record\n");
                    }
                    if (pg) {
                        sandbox.database().stop();
                        sandbox.database().start();
                    } else if (backend) {
                        sandbox.services().restartBackend();
                    }
                    return ok("");
                case "stop":
                    if (pg) {
                        sandbox.database().stop();
                    } else if (backend) {
                        sandbox.services().stopBackend("stopped by systemctl");
                    }
                    return ok("");
                case "status":
                case "is-active":
                    boolean up = pg
                            ? sandbox.database().running()
                            : !backend || sandbox.services().backendOnline();
                    String state = up ? "active (running)" : "inactive (dead)";
                    return new Result(up ? 0 : 3, "● " + unit + ".service\n     Active: " + state + "\n", "");
                default:
                    return notEmulated(String.join(" ", w));
            }
        } catch (java.io.IOException | RuntimeException e) {
            return new Result(1, "", "Job for " + unit + ".service failed: " + e.getMessage() + "\n");
        }
    }

    private Result redis(List<String> w) {
        String verb = w.size() > 1 ? w.get(1).toUpperCase(Locale.ROOT) : "";
        switch (verb) {
            case "PING":
                return ok("PONG\n");
            case "FLUSHDB":
            case "FLUSHALL":
                sandbox.services().flushRedis();
                return ok("OK\n");
            case "DBSIZE":
                return ok("(integer) " + sandbox.services().redisKeys() + "\n");
            case "CONFIG":
                if (w.size() > 3 && w.get(2).equalsIgnoreCase("GET")) {
                    return ok(w.get(3) + "\n" + (w.get(3).equals("maxmemory") ? "268435456" : "") + "\n");
                }
                return ok("OK\n");
            default:
                return notEmulated(String.join(" ", w));
        }
    }

    /**
     * {@code kubectl [--context C] [-n NS] rollout restart|undo|status deployment/NAME}: acts only
     * on {@link #BACKEND_DEPLOYMENT} in context {@link #KUBE_CONTEXT}, namespace
     * {@link #KUBE_NAMESPACE}; any other context, namespace or deployment changes nothing and
     * answers as kubectl does.
     */
    private Result kubectl(List<String> w) {
        List<String> args = new ArrayList<>();
        String context = KUBE_CONTEXT;
        String namespace = KUBE_NAMESPACE;
        for (int i = 1; i < w.size(); i++) {
            String a = w.get(i);
            if ((a.equals("--context") || a.equals("-n") || a.equals("--namespace")) && i + 1 < w.size()) {
                if (a.equals("--context")) {
                    context = w.get(++i);
                } else {
                    namespace = w.get(++i);
                }
            } else if (a.startsWith("--context=")) {
                context = a.substring("--context=".length());
            } else if (a.startsWith("--namespace=")) {
                namespace = a.substring("--namespace=".length());
            } else {
                args.add(a);
            }
        }
        if (!context.equals(KUBE_CONTEXT)) {
            return new Result(1, "", "error: context \"" + context + "\" does not exist\n");
        }
        if (args.isEmpty()) {
            return notEmulated(String.join(" ", w));
        }
        boolean rollout = args.get(0).equals("rollout");
        if (!rollout && !args.get(0).equals("logs") && !args.get(0).equals("scale")) {
            return notEmulated(String.join(" ", w));
        }
        int at = rollout ? 2 : 1;
        if (args.size() <= at) {
            return notEmulated(String.join(" ", w));
        }
        String target = args.get(at);
        String name = target.replaceFirst("^(deployment|deploy|deployments)(\\.apps)?/", "");
        boolean backend = name.equals(BACKEND_DEPLOYMENT);
        if (!namespace.equals(KUBE_NAMESPACE) || !(backend || name.equals(API_DEPLOYMENT)) || name.equals(target)) {
            return new Result(1, "", "Error from server (NotFound): deployments.apps \"" + name + "\" not found\n");
        }
        Services s = sandbox.services();
        String verb = rollout ? "rollout " + args.get(1) : args.get(0);
        switch (verb) {
            case "rollout restart", "rollout undo" -> {
                if (backend) {
                    s.restartBackend();
                } else {
                    s.apiOnline(true);
                }
                return ok("deployment.apps/" + name + (verb.endsWith("undo") ? " rolled back\n" : " restarted\n"));
            }
            case "rollout status" -> {
                boolean up = backend ? s.backendOnline() : s.apiOnline();
                return up
                        ? ok("deployment \"" + name + "\" successfully rolled out\n")
                        : new Result(1, "", "error: deployment \"" + name + "\" exceeded its progress deadline\n");
            }
            case "logs" -> {
                boolean up = backend ? s.backendOnline() : s.apiOnline();
                return ok(
                        up
                                ? name + ": listening on :8080\n"
                                : name + ": Error: connect ECONNREFUSED (CrashLoopBackOff)\n");
            }
            case "scale" -> {
                for (String a : args) {
                    if (a.startsWith("--replicas=")) {
                        if (!backend) {
                            s.apiReplicas(Integer.parseInt(a.substring("--replicas=".length())));
                        }
                        return ok("deployment.apps/" + name + " scaled\n");
                    }
                }
                return new Result(1, "", "error: --replicas=COUNT is required\n");
            }
            default -> {
                return notEmulated(String.join(" ", w));
            }
        }
    }

    /**
     * Runs one command given as words (the {@code kubectl} stand-in of {@code shell} steps sends
     * its arguments here through the admin endpoint).
     *
     * @param words the command and its arguments
     * @return its output and exit code
     */
    public Result runWords(List<String> words) {
        if (words.isEmpty() || !words.get(0).equals("kubectl")) {
            return notEmulated(words.isEmpty() ? "" : words.get(0));
        }
        try {
            return kubectl(words);
        } catch (NumberFormatException e) {
            return new Result(1, "", "error: invalid number: " + e.getMessage() + "\n");
        }
    }

    private Result git(List<String> w) {
        if (w.size() == 3 && w.get(1).equals("checkout")) {
            if (!Services.KNOWN_REFS.contains(w.get(2))) {
                return new Result(1, "", "error: pathspec '" + w.get(2) + "' did not match any file(s) known to git\n");
            }
            sandbox.services().deployedRef(w.get(2));
            return ok("HEAD is now at " + w.get(2) + "\n");
        }
        return notEmulated(String.join(" ", w));
    }

    /**
     * RB-P1-002's restore, one part of a chain at a time: the deletion of the old {@code
     * JWT_SECRET} line of {@code .env}, and the append of the backup {@code env.production}'s line
     * into {@code .env}; any other command naming JWT_SECRET is not emulated (and restores nothing).
     */
    private Result jwt(String part) {
        if (part.matches("sed -i '/\\^JWT_SECRET=/d' \\.env")) {
            return ok("");
        }
        if (JWT_RESTORE.matcher(part).find()) {
            sandbox.services().envFileSecret(Services.GOOD_SECRET);
            return ok("");
        }
        return notEmulated(part);
    }

    /** RB-P1-002's fingerprint comparison of {@code .env} with the backup (exit 1 when they differ). */
    private Result jwtCompare(String line) {
        if (!line.contains("env.production")) {
            return notEmulated(line);
        }
        Services s = sandbox.services();
        String cur = fingerprint(s.envFileSecret());
        String bak = fingerprint(Services.GOOD_SECRET);
        return new Result(cur.equals(bak) ? 0 : 1, "JWT_SECRET actuel=" + cur + " backup=" + bak + "\n", "");
    }

    private static String fingerprint(String secret) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest(("JWT_SECRET=" + secret + "\n").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Result ok(String out) {
        return new Result(0, out, "");
    }

    private static Result notEmulated(String cmd) {
        String name = cmd.isBlank() ? cmd : cmd.trim().split("\\s+")[0];
        return new Result(NOT_EMULATED, "", "sandbox: " + name + ": not emulated in sandbox\n");
    }

    /** Splits on {@code &&} outside quotes. */
    static List<String> splitAnd(String line) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
                cur.append(c);
            } else if (c == '\'' || c == '"') {
                quote = c;
                cur.append(c);
            } else if (c == '&' && i + 1 < line.length() && line.charAt(i + 1) == '&') {
                parts.add(cur.toString());
                cur.setLength(0);
                i++;
            } else {
                cur.append(c);
            }
        }
        parts.add(cur.toString());
        return parts;
    }

    /** Splits a simple command into words, honouring single and double quotes. */
    static List<String> words(String cmd) {
        List<String> w = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean in = false;
        char quote = 0;
        for (int i = 0; i < cmd.length(); i++) {
            char c = cmd.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                in = true;
            } else if (Character.isWhitespace(c)) {
                if (in) {
                    w.add(cur.toString());
                    cur.setLength(0);
                    in = false;
                }
            } else {
                cur.append(c);
                in = true;
            }
        }
        if (in) {
            w.add(cur.toString());
        }
        return w;
    }
}

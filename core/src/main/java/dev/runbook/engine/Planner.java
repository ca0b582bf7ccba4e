package dev.runbook.engine;

import dev.runbook.model.ActionSpec;
import dev.runbook.model.InputDef;
import dev.runbook.model.Inventory;
import dev.runbook.model.Runbook;
import dev.runbook.model.Step;
import dev.runbook.postgres.Libpq;
import dev.runbook.template.ExpressionException;
import dev.runbook.template.Expressions;
import dev.runbook.template.Masker;
import dev.runbook.template.Renderer;
import dev.runbook.template.Scope;
import dev.runbook.template.Template;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Resolves a run before step 1 (design notes, "resolve"): environment, inputs, secrets,
 * vars, and every check that must hold before anything runs (contract, "Exit codes": 2
 * means nothing was executed). Placeholders stand in for what a dry-run cannot know.
 */
public final class Planner {

    /** Asks the operator for an input's value before step 1 (interactive mode only). */
    @FunctionalInterface
    public interface InputPrompt {
        /**
         * @param def the input to ask for
         * @return the value typed (already checked against the pattern by the prompt)
         */
        String ask(InputDef def);
    }

    /**
     * What the command line gives.
     *
     * @param inventory null when none was found
     * @param envName {@code --env}, or null
     * @param mode how the run is driven
     * @param vars {@code --var NAME=VALUE} values
     * @param processEnv the process environment (secrets come from it)
     * @param operator who runs it
     * @param host this machine's name
     * @param allowDangerous {@code --allow-dangerous}
     * @param prompt asks for inputs in interactive mode; null otherwise
     * @param requireEnvironment false for {@code runbook show}: a runbook that uses the
     *     environment can be shown without one ({@code env.*} as placeholders)
     */
    public record Request(
            Runbook runbook,
            Inventory inventory,
            String envName,
            Mode mode,
            Map<String, String> vars,
            Map<String, String> processEnv,
            String operator,
            String host,
            boolean allowDangerous,
            InputPrompt prompt,
            boolean requireEnvironment) {}

    private Planner() {}

    /**
     * Builds the plan.
     *
     * @throws PlanException when the run cannot start; the message names the file and step
     */
    public static Plan plan(Request r) throws PlanException {
        Runbook rb = r.runbook();
        String file = rb.source().path();
        boolean dry = r.mode() == Mode.DRY_RUN;
        Inventory.Environment env = environment(r, file);
        if (env != null && env.isProtected() && r.mode().unattended()) {
            throw new PlanException("environment '" + env.name() + "' is protected: --yes is refused there;"
                    + " run interactively and confirm each mutating step");
        }
        Masker masker = new Masker();
        Scope scope = new Scope();
        Map<String, Object> secrets = scope.get("secrets");
        for (String name : rb.secrets()) {
            String v = r.processEnv().get(name);
            if ((v == null || v.isEmpty()) && !dry && metByPassfile(rb, env, name, r.processEnv())) {
                continue;
            }
            if (v == null || v.isEmpty()) {
                if (!dry) {
                    throw new PlanException(file + ": secret " + name + " is not set: export " + name
                            + "=… in the environment before the run (declared in 'secrets:')");
                }
                v = Renderer.placeholder("secrets." + name);
            }
            secret(masker, file + ": secret " + name, v, dry);
            secrets.put(name, v);
        }
        if (env != null) {
            inventorySecrets(rb, env, r.processEnv(), dry, secrets, masker);
            checkTargets(rb, env, file);
            checkChannels(rb, env, file);
        }
        Map<String, String> inputs = inputs(r, file, scope, masker);
        if (r.mode().unattended()) {
            checkUnattended(rb, r.vars(), file);
        }
        Renderer renderer = new Renderer(scope.toMap(), masker, dry);
        if (env != null) {
            Map<String, Object> envScope = scope.get("env");
            envScope.put("name", env.name());
            for (Map.Entry<String, String> e : env.vars().entrySet()) {
                envScope.put(e.getKey(), render(renderer, e.getValue(), file, "env var '" + e.getKey() + "'"));
            }
        }
        checkEnvNames(rb, env, file);
        Map<String, Object> vars = scope.get("vars");
        for (String name : varOrder(rb.vars())) {
            vars.put(name, render(renderer, rb.vars().get(name), file, "var '" + name + "'"));
        }
        return new Plan(
                rb,
                env,
                r.mode(),
                r.operator(),
                r.host(),
                r.allowDangerous(),
                inputs,
                scope,
                masker,
                null,
                null,
                Map.copyOf(r.processEnv()));
    }

    private static String render(Renderer renderer, String template, String file, String what) throws PlanException {
        try {
            return renderer.text(template).text();
        } catch (ExpressionException e) {
            throw new PlanException(file + ": " + what + ": " + e.getMessage());
        }
    }

    /** True when the runbook reads {@code env.*} or has {@code sql}/{@code ssh} steps. */
    public static boolean needsEnvironment(Runbook rb) {
        return allSteps(rb).anyMatch(s -> s.action() instanceof ActionSpec.Sql || s.action() instanceof ActionSpec.Ssh)
                || references(rb).stream().anyMatch(v -> v.get(0).equals("env"));
    }

    private static Stream<Step> allSteps(Runbook rb) {
        return Stream.concat(rb.steps().stream(), rb.rollback().stream());
    }

    /** Every name path read by the runbook's templates and expressions. */
    static List<List<String>> references(Runbook rb) {
        List<List<String>> out = new ArrayList<>();
        List<String> templates = new ArrayList<>(rb.vars().values());
        List<String> expressions = new ArrayList<>();
        allSteps(rb).forEach(s -> {
            templates.addAll(s.action().templates());
            templates.add(s.title());
            if (s.description() != null) {
                templates.add(s.description());
            }
            if (s.when() != null) {
                expressions.add(s.when());
            }
            expressions.addAll(s.check());
            if (s.retry().until() != null) {
                expressions.add(s.retry().until());
            }
        });
        templates.forEach(t -> out.addAll(Template.parse(t).variables()));
        expressions.forEach(e -> out.addAll(Expressions.compile(e).variables()));
        return out;
    }

    private static Inventory.Environment environment(Request r, String file) throws PlanException {
        boolean needed = needsEnvironment(r.runbook());
        if (r.envName() == null) {
            if (needed && r.requireEnvironment()) {
                throw new PlanException(file + ": this runbook uses the environment (env.*, sql or ssh steps):"
                        + " give --env NAME" + known(r.inventory()));
            }
            return null;
        }
        if (r.inventory() == null) {
            throw new PlanException("no inventory for --env " + r.envName() + ": put environments.yaml beside the"
                    + " runbook or in the library root, or give --inventory FILE");
        }
        return r.inventory()
                .environment(r.envName())
                .orElseThrow(() -> new PlanException("environment '" + r.envName() + "' is not in "
                        + r.inventory().path() + known(r.inventory())));
    }

    private static String known(Inventory inv) {
        return inv == null
                ? ""
                : " (environments in " + inv.path() + ": "
                        + String.join(", ", inv.environments().keySet()) + ")";
    }

    private static void inventorySecrets(
            Runbook rb,
            Inventory.Environment env,
            Map<String, String> processEnv,
            boolean dry,
            Map<String, Object> secrets,
            Masker masker)
            throws PlanException {
        Set<String> used = new LinkedHashSet<>();
        List<String> templates = new ArrayList<>(env.vars().values());
        env.databases().values().forEach(d -> templates.add(d.password()));
        env.hosts().values().forEach(h -> {
            templates.add(h.password());
            templates.add(h.passphrase());
        });
        env.channels().values().forEach(c -> templates.add(c.webhook()));
        for (String t : templates) {
            if (t == null) {
                continue;
            }
            used.addAll(Template.parse(t).names("secrets"));
        }
        for (String name : used) {
            if (secrets.containsKey(name)) {
                continue;
            }
            String v = processEnv.get(name);
            if ((v == null || v.isEmpty()) && !dry && metByPassfile(rb, env, name, processEnv)) {
                continue;
            }
            if (v == null || v.isEmpty()) {
                if (!dry && usesInventorySecret(rb, env, name)) {
                    throw new PlanException("secret " + name + " is not set: export " + name
                            + "=… before the run (environment '" + env.name() + "' uses it)");
                }
                v = Renderer.placeholder("secrets." + name);
            }
            secret(masker, "secret " + name, v, dry);
            secrets.put(name, v);
        }
    }

    /**
     * A missing {@code PGPASSWORD} that the PostgreSQL driver meets another way, as libpq does: a
     * password file exists ({@code PGPASSFILE}, else {@code ~/.pgpass}) and only the passwords of
     * the environment's databases read the secret (a database whose password is then unset sends
     * none, and the driver reads the file). Anything else that reads it still needs it.
     */
    private static boolean metByPassfile(
            Runbook rb, Inventory.Environment env, String name, Map<String, String> processEnv) {
        if (!name.equals(Libpq.PASSWORD) || Libpq.passfile(processEnv).isEmpty()) {
            return false;
        }
        String ref = "secrets." + name;
        boolean inRunbook = references(rb).stream()
                .anyMatch(v ->
                        v.size() > 1 && v.get(0).equals("secrets") && v.get(1).equals(name));
        boolean inEnvironment = env != null
                && (env.vars().values().stream().anyMatch(t -> contains(t, ref))
                        || env.hosts().values().stream().anyMatch(h -> reads(h, ref))
                        || env.channels().values().stream().anyMatch(c -> reads(c, ref)));
        return !inRunbook && !inEnvironment;
    }

    /** The shortest secret accepted: masking a shorter one would blank ordinary words of the output. */
    static final int MIN_SECRET = 6;

    /**
     * Adds a secret to the masker.
     *
     * @throws PlanException when it is shorter than {@link #MIN_SECRET} characters (outside a dry-run)
     */
    private static void secret(Masker masker, String what, String value, boolean dry) throws PlanException {
        if (!dry && value.length() < MIN_SECRET) {
            throw new PlanException(what + " is " + value.length() + " characters long: a secret needs at least "
                    + MIN_SECRET + " (masking a shorter one would blank ordinary text of the output)");
        }
        masker.add(value);
    }

    private static boolean usesInventorySecret(Runbook rb, Inventory.Environment env, String secret) {
        String ref = "secrets." + secret;
        boolean inVars = env.vars().values().stream().anyMatch(t -> t.contains(ref));
        boolean inDb = allSteps(rb)
                .anyMatch(s -> s.action() instanceof ActionSpec.Sql q
                        && env.database(q.database())
                                .map(d -> d.password() != null && d.password().contains(ref))
                                .orElse(false));
        boolean inHost = allSteps(rb)
                .anyMatch(s -> s.action() instanceof ActionSpec.Ssh ssh
                        && hostsOf(ssh, env).stream().map(env.hosts()::get).anyMatch(h -> reads(h, ref)));
        boolean inChannel = channelsUsed(rb).stream().map(env.channels()::get).anyMatch(c -> reads(c, ref));
        return inVars || inDb || inHost || inChannel;
    }

    private static boolean contains(String s, String ref) {
        return s != null && s.contains(ref);
    }

    /** True when the host's password or passphrase template holds the reference ({@code secrets.X}). */
    private static boolean reads(Inventory.Host h, String ref) {
        return h != null && (contains(h.password(), ref) || contains(h.passphrase(), ref));
    }

    /** True when the channel's webhook template holds the reference ({@code secrets.X}). */
    private static boolean reads(dev.runbook.model.Channel c, String ref) {
        return c != null && contains(c.webhook(), ref);
    }

    /** The host names an ssh step reaches, groups expanded (unknown names left out). */
    static List<String> hostsOf(ActionSpec.Ssh ssh, Inventory.Environment env) {
        return env.expand(ssh.hosts()).hosts();
    }

    /** The channels a runbook posts to: its notify steps', its escalation tiers', its updates'. */
    static Set<String> channelsUsed(Runbook rb) {
        Set<String> out = new LinkedHashSet<>();
        allSteps(rb)
                .filter(s -> s.action() instanceof ActionSpec.Notify n && n.channel() != null)
                .forEach(s -> out.add(((ActionSpec.Notify) s.action()).channel()));
        rb.escalation().stream().filter(e -> e.to() != null).forEach(e -> out.add(e.to()));
        if (rb.updates() != null) {
            out.add(rb.updates().channel());
        }
        return out;
    }

    /**
     * Every channel the runbook posts to is declared by the environment.
     *
     * @throws PlanException naming the channel, the environment and the channels it has
     */
    private static void checkChannels(Runbook rb, Inventory.Environment env, String file) throws PlanException {
        for (String c : channelsUsed(rb)) {
            if (!env.channels().containsKey(c)) {
                throw new PlanException(file + ": channel '" + c + "' is not declared by environment '" + env.name()
                        + "' (its channels: "
                        + (env.channels().isEmpty()
                                ? "none"
                                : String.join(", ", env.channels().keySet()))
                        + "; declare it under channels: in the inventory)");
            }
        }
    }

    private static void checkTargets(Runbook rb, Inventory.Environment env, String file) throws PlanException {
        for (Step s : (Iterable<Step>) allSteps(rb)::iterator) {
            if (s.action() instanceof ActionSpec.Sql q
                    && env.database(q.database()).isEmpty()) {
                throw new PlanException(s.at("sql") + ": step '" + s.id() + "': "
                        + (q.database() == null
                                ? "environment '" + env.name() + "' has no database"
                                : "database '" + q.database() + "' is not in environment '" + env.name() + "'")
                        + " (databases: " + String.join(", ", env.databases().keySet()) + ")");
            }
            if (s.action() instanceof ActionSpec.Ssh ssh) {
                List<String> unknown = env.expand(ssh.hosts()).unknown();
                if (!unknown.isEmpty()) {
                    throw new PlanException(s.at("ssh") + ": step '" + s.id() + "': host '" + unknown.get(0)
                            + "' is not in environment '" + env.name() + "' (hosts: "
                            + String.join(", ", env.hosts().keySet()) + "; groups: "
                            + String.join(", ", env.groups().keySet()) + ")");
                }
            }
        }
    }

    private static void checkEnvNames(Runbook rb, Inventory.Environment env, String file) throws PlanException {
        if (env == null) {
            return;
        }
        for (List<String> ref : references(rb)) {
            if (ref.get(0).equals("env")
                    && ref.size() > 1
                    && !ref.get(1).equals("name")
                    && !env.vars().containsKey(ref.get(1))) {
                throw new PlanException(file + ": env." + ref.get(1) + " is not a var of environment '" + env.name()
                        + "' (vars: " + String.join(", ", env.vars().keySet()) + ")");
            }
        }
    }

    private static Map<String, String> inputs(Request r, String file, Scope scope, Masker masker) throws PlanException {
        Runbook rb = r.runbook();
        Set<String> stepInputs = new LinkedHashSet<>();
        allSteps(rb)
                .filter(s -> s.action() instanceof ActionSpec.Input)
                .forEach(s -> stepInputs.add(((ActionSpec.Input) s.action()).name()));
        for (String name : r.vars().keySet()) {
            if (!rb.inputs().containsKey(name) && !stepInputs.contains(name)) {
                List<String> all = new ArrayList<>(rb.inputs().keySet());
                all.addAll(stepInputs);
                throw new PlanException(file + ": --var " + name + ": the runbook has no input of that name"
                        + (all.isEmpty() ? "" : " (inputs: " + String.join(", ", all) + ")"));
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Object> in = scope.get("inputs");
        for (InputDef def : rb.inputs().values()) {
            String v = r.vars().get(def.name());
            if (v == null && r.mode() == Mode.INTERACTIVE && r.prompt() != null) {
                v = r.prompt().ask(def);
            }
            if (v == null) {
                v = def.defaultValue();
            }
            if (v == null) {
                if (r.mode() == Mode.DRY_RUN) {
                    v = Renderer.placeholder("inputs." + def.name());
                } else if (def.required()) {
                    throw new PlanException(file + ": input '" + def.name() + "' is required: give --var " + def.name()
                            + "=VALUE" + (def.description() == null ? "" : " (" + def.description() + ")"));
                } else {
                    v = "";
                }
            } else if (def.pattern() != null && !def.pattern().matcher(v).matches()) {
                throw new PlanException(file + ": input '" + def.name() + "': '" + (def.secret() ? "****" : v)
                        + "' does not match " + def.pattern().pattern());
            }
            if (def.secret() && !v.isEmpty()) {
                secret(masker, file + ": input '" + def.name() + "'", v, r.mode() == Mode.DRY_RUN);
            }
            if (def.secret() && def.defaultValue() != null && def.defaultValue().length() >= MIN_SECRET) {
                masker.add(def.defaultValue());
            }
            in.put(def.name(), v);
            values.put(def.name(), v);
        }
        for (Step s : (Iterable<Step>) allSteps(rb)::iterator) {
            if (s.action() instanceof ActionSpec.Input i && i.secret()) {
                if (i.defaultValue() != null && i.defaultValue().length() >= MIN_SECRET) {
                    masker.add(i.defaultValue());
                }
                String v = r.vars().get(i.name());
                if (v != null && !v.isEmpty()) {
                    secret(masker, s.at("input") + ": input '" + i.name() + "'", v, r.mode() == Mode.DRY_RUN);
                }
            }
        }
        for (String name : stepInputs) {
            String v = r.vars().get(name);
            if (v != null) {
                in.put(name, v);
                values.put(name, v);
            }
        }
        return values;
    }

    private static void checkUnattended(Runbook rb, Map<String, String> vars, String file) throws PlanException {
        for (Step s : (Iterable<Step>) allSteps(rb)::iterator) {
            if (s.action() instanceof ActionSpec.Choose c && c.defaultChoice() == null) {
                throw new PlanException(s.at("choose") + ": step '" + s.id() + "' is a choose without 'default':"
                        + " it cannot run unattended (--yes); add a default or run interactively");
            }
            if (s.action() instanceof ActionSpec.Input i && i.defaultValue() == null && !vars.containsKey(i.name())) {
                throw new PlanException(s.at("input") + ": step '" + s.id() + "' asks for input '" + i.name()
                        + "', which has no default: give --var " + i.name() + "=VALUE");
            }
            if (s.action() instanceof ActionSpec.Input i
                    && i.pattern() != null
                    && vars.containsKey(i.name())
                    && !vars.get(i.name()).matches(i.pattern())) {
                throw new PlanException(s.at("input") + ": --var " + i.name() + " does not match " + i.pattern());
            }
        }
    }

    /**
     * The vars in an order where each comes after the vars it reads (a var may read one declared
     * after it); validate refuses cycles, and a cycle left here keeps declaration order.
     */
    static List<String> varOrder(Map<String, String> defs) {
        List<String> order = new ArrayList<>();
        java.util.Set<String> placed = new java.util.HashSet<>();
        boolean progress = true;
        while (order.size() < defs.size() && progress) {
            progress = false;
            for (Map.Entry<String, String> e : defs.entrySet()) {
                if (placed.contains(e.getKey())) {
                    continue;
                }
                boolean ready = Template.parse(e.getValue()).names("vars").stream()
                        .noneMatch(v -> defs.containsKey(v) && !placed.contains(v));
                if (ready) {
                    order.add(e.getKey());
                    placed.add(e.getKey());
                    progress = true;
                }
            }
        }
        defs.keySet().stream().filter(k -> !placed.contains(k)).forEach(order::add);
        return order;
    }
}

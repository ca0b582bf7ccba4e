package dev.runbook.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The environments a runbook can run against ({@code environments.yaml}, contract
 * "Environments (inventory)").
 *
 * @param path the file it was read from
 * @param environments by name, in file order
 * @param store the team's shared incident store, or null (docs/team.md)
 * @param warnings what {@code validate} reports without refusing the file, each as
 *     {@code FILE:LINE:COLUMN: message}
 */
public record Inventory(String path, Map<String, Environment> environments, StoreRef store, List<String> warnings) {

    /** An inventory without a store. */
    public Inventory(String path, Map<String, Environment> environments) {
        this(path, environments, null, List.of());
    }

    /** The environment with this name. */
    public Optional<Environment> environment(String name) {
        return Optional.ofNullable(environments.get(name));
    }

    /**
     * One environment.
     *
     * @param name its key in the inventory
     * @param isProtected mutating steps need typed confirmation; {@code --yes} refused
     * @param vars {@code env.<var>} values; may hold templates
     * @param databases by name; the first is the default for {@code sql} steps
     * @param hosts by name
     * @param groups group name to host names (extension: {@code groups: {web: [web1, web2]}})
     * @param shellPath directories prepended to {@code PATH} for the {@code shell} steps run against
     *     this environment, in order (extension: {@code shell_path: [dir, …]}); relative entries are
     *     resolved against the working directory when a step runs; empty when absent
     * @param channels chat channels by name (extension: {@code channels: {NAME: {webhook, format,
     *     timeout}}}, docs/format.md "Chat channels"); empty when absent
     */
    public record Environment(
            String name,
            boolean isProtected,
            Map<String, String> vars,
            Map<String, Database> databases,
            Map<String, Host> hosts,
            Map<String, List<String>> groups,
            List<String> shellPath,
            Map<String, Channel> channels) {

        /** An environment without chat channels. */
        public Environment(
                String name,
                boolean isProtected,
                Map<String, String> vars,
                Map<String, Database> databases,
                Map<String, Host> hosts,
                Map<String, List<String>> groups,
                List<String> shellPath) {
            this(name, isProtected, vars, databases, hosts, groups, shellPath, Map.of());
        }

        /**
         * Host names and group names expanded to host names: the one expansion rule, used by the
         * planner and by the SSH action.
         *
         * @param names host or group names, as written in an {@code ssh} step's {@code hosts:}
         * @return the hosts in the order written, each once; the names that are neither a host nor
         *     a group (and group members that are not hosts) in {@code unknown}
         */
        public HostNames expand(List<String> names) {
            java.util.Set<String> out = new java.util.LinkedHashSet<>();
            java.util.Set<String> unknown = new java.util.LinkedHashSet<>();
            for (String n : names) {
                List<String> members = hosts.containsKey(n) ? List.of(n) : groups.get(n);
                if (members == null) {
                    unknown.add(n);
                    continue;
                }
                for (String m : members) {
                    (hosts.containsKey(m) ? out : unknown).add(m);
                }
            }
            return new HostNames(List.copyOf(out), List.copyOf(unknown));
        }

        /** The named database, or the first one when name is null. */
        public Optional<Database> database(String dbName) {
            if (dbName == null) {
                return databases.values().stream().findFirst();
            }
            return Optional.ofNullable(databases.get(dbName));
        }
    }

    /**
     * The hosts an {@code ssh} step reaches.
     *
     * @param hosts host names, in the order written, each once
     * @param unknown names that are neither a host nor a group of the environment
     */
    public record HostNames(List<String> hosts, List<String> unknown) {}

    /**
     * A PostgreSQL database.
     *
     * @param name its key in the environment
     * @param url JDBC URL ({@code jdbc:postgresql://…})
     * @param user may be null
     * @param password may hold a {@code ${secrets.NAME}} template; may be null
     */
    public record Database(String name, String url, String user, String password) {}

    /**
     * An SSH host.
     *
     * @param name its key in the environment
     * @param address host name or IP; null means the name (resolved through ~/.ssh/config)
     * @param port null means 22 (or ~/.ssh/config)
     * @param user may be null
     * @param identityFile private key path ({@code ~} expanded); may be null
     * @param passphrase the key's passphrase template ({@code ${secrets.NAME}}); may be null
     * @param password password template ({@code ${secrets.NAME}}); may be null
     * @param knownHosts known_hosts path; null means {@code ~/.ssh/known_hosts}
     * @param jump name of another host to tunnel through (like ProxyJump); may be null
     */
    public record Host(
            String name,
            String address,
            Integer port,
            String user,
            String identityFile,
            String passphrase,
            String password,
            String knownHosts,
            String jump) {}
}

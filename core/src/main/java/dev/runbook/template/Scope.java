package dev.runbook.template;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names templates and expressions can read (contract, "Templates and expressions"):
 * {@code env.*}, {@code inputs.*}, {@code vars.*}, {@code secrets.*}, {@code steps.<id>.*}
 * and {@code incident.*}. The maps are live: the engine adds step results and inputs as
 * the run goes.
 */
public final class Scope {

    /** The roots a name may start with. */
    public static final java.util.List<String> ROOTS =
            java.util.List.of("env", "inputs", "vars", "secrets", "steps", "incident");

    /** The fields of {@code incident.*}. */
    public static final java.util.List<String> INCIDENT_FIELDS =
            java.util.List.of("id", "severity", "operator", "started_at");

    private final Map<String, Object> root = new LinkedHashMap<>();

    /** An empty scope with every root present. */
    public Scope() {
        for (String r : ROOTS) {
            root.put(r, new LinkedHashMap<String, Object>());
        }
    }

    /** The map for one root ({@code "inputs"}, …), to read or fill. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> get(String rootName) {
        return (Map<String, Object>) root.get(rootName);
    }

    /** Sets {@code steps.<id>} to a step's result fields (with its {@code status}). */
    public void putStep(String stepId, Map<String, Object> result) {
        get("steps").put(stepId, result);
    }

    /** The live root map, as expressions see it. */
    public Map<String, Object> toMap() {
        return root;
    }
}

package dev.runbook.template;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Replaces secret values with {@code ****} in everything the tool prints or writes
 * (contract: "Secret values are masked"). Thread-safe; secrets can be added during a run
 * (an {@code input} step with {@code secret: true}).
 */
public final class Masker {

    /** What a secret is replaced with. */
    public static final String MASK = "****";

    private final Set<String> secrets = new CopyOnWriteArraySet<>();

    /** Adds a value to mask; null and empty values are ignored. */
    public void add(String secret) {
        if (secret != null && !secret.isEmpty()) {
            secrets.add(secret);
        }
    }

    /** True when there is nothing to mask. */
    public boolean isEmpty() {
        return secrets.isEmpty();
    }

    /** The text with every secret value replaced by {@link #MASK}; null stays null. */
    public String mask(String text) {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        List<String> ordered = new ArrayList<>(secrets);
        ordered.sort(Comparator.comparingInt(String::length).reversed());
        String out = text;
        for (String s : ordered) {
            out = out.replace(s, MASK);
        }
        return out;
    }

    /**
     * Masks a JSON-like value: strings are masked, maps and lists masked deeply (keys
     * too), other values returned as they are.
     */
    public Object maskValue(Object value) {
        if (secrets.isEmpty()) {
            return value;
        }
        if (value instanceof String s) {
            return mask(s);
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(mask(String.valueOf(k)), maskValue(v)));
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(v -> out.add(maskValue(v)));
            return out;
        }
        return value;
    }
}

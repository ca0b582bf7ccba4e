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
    /** The secrets and their forms, longest first (so a secret inside a longer one is masked whole); rebuilt by add. */
    private volatile List<String> longestFirst = List.of();

    /** Adds a value to mask; null and empty values are ignored. */
    public synchronized void add(String secret) {
        if (secret == null || secret.isEmpty()) {
            return;
        }
        secrets.add(secret);
        for (String form : encodings(secret)) {
            if (form.length() >= MIN_FORM && !form.equals(secret)) {
                secrets.add(form);
            }
        }
        reorder();
    }

    /** The shortest derived form masked: shorter ones would blank ordinary text. */
    private static final int MIN_FORM = 6;

    /**
     * The forms a secret takes when a tool prints it encoded: JSON string escaping, URL encoding
     * (RFC 3986 and form encoding), base64 (standard and URL-safe, at each of the three byte
     * alignments it may have inside a longer encoded text: only the characters it alone determines),
     * and hexadecimal (both cases).
     */
    static List<String> encodings(String secret) {
        List<String> forms = new ArrayList<>();
        try {
            String json = JSON.writeValueAsString(secret);
            forms.add(json.substring(1, json.length() - 1));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // a String always serializes
        }
        String form = java.net.URLEncoder.encode(secret, java.nio.charset.StandardCharsets.UTF_8);
        forms.add(form);
        forms.add(form.replace("+", "%20"));
        byte[] bytes = secret.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (java.util.Base64.Encoder enc : List.of(java.util.Base64.getEncoder(), java.util.Base64.getUrlEncoder())) {
            for (int o = 0; o < 3; o++) {
                byte[] padded = new byte[o + bytes.length];
                System.arraycopy(bytes, 0, padded, o, bytes.length);
                String full = enc.withoutPadding().encodeToString(padded);
                int n = padded.length;
                int keep = 4 * (n / 3) + (n % 3 == 0 ? 0 : n % 3 == 1 ? 1 : 2);
                int skip = o == 0 ? 0 : o == 1 ? 2 : 3;
                if (keep > skip) {
                    forms.add(full.substring(skip, Math.min(keep, full.length())));
                }
            }
        }
        String hex = java.util.HexFormat.of().formatHex(bytes);
        forms.add(hex);
        forms.add(hex.toUpperCase(java.util.Locale.ROOT));
        return forms;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /**
     * Adds every secret another masker holds (a child incident masks its parent's secrets too:
     * docs/format.md, "One runbook calling another").
     *
     * @param other the masker whose secrets (and their encoded forms) are added
     */
    public synchronized void addAll(Masker other) {
        if (other == this || other.secrets.isEmpty()) {
            return;
        }
        secrets.addAll(other.secrets);
        reorder();
    }

    private void reorder() {
        List<String> ordered = new ArrayList<>(secrets);
        ordered.sort(Comparator.comparingInt(String::length).reversed());
        longestFirst = List.copyOf(ordered);
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
        String out = text;
        for (String s : longestFirst) {
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

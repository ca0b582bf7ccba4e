package dev.runbook.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts step results before they go into the incident log (contract: {@code result}
 * "truncated, masked"): strings to 4 KiB, lists to 50 items; the full values stay in
 * {@code steps.<id>.*} for later steps.
 */
final class Truncate {

    static final int MAX_STRING = 4096;
    static final int MAX_ITEMS = 50;

    private Truncate() {}

    static Object value(Object v) {
        if (v instanceof String s && s.length() > MAX_STRING) {
            return s.substring(0, MAX_STRING) + "…[" + (s.length() - MAX_STRING) + " more characters]";
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), value(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < Math.min(l.size(), MAX_ITEMS); i++) {
                out.add(value(l.get(i)));
            }
            if (l.size() > MAX_ITEMS) {
                out.add("…[" + (l.size() - MAX_ITEMS) + " more items]");
            }
            return out;
        }
        return v;
    }
}

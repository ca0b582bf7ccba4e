package dev.runbook.template;

import java.util.List;

/**
 * A rendered template.
 *
 * @param text what is executed (secrets in clear)
 * @param display what is printed and logged (secrets masked)
 * @param params bind parameters, in order, for SQL rendering; empty otherwise
 */
public record Rendered(String text, String display, List<Object> params) {}

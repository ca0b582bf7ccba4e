package dev.runbook.model;

import java.util.regex.Pattern;

/**
 * One entry of a runbook's {@code inputs:} map (contract, "A runbook file").
 *
 * @param name the input's name, used as {@code inputs.<name>}
 * @param description shown when the operator is asked; may be null
 * @param defaultValue used when no value is given; null when there is none
 * @param pattern a value must match it entirely; null accepts anything
 * @param required true when a value (or a default) must exist before step 1
 * @param secret true when the value is masked like a secret
 */
public record InputDef(
        String name, String description, String defaultValue, Pattern pattern, boolean required, boolean secret) {}

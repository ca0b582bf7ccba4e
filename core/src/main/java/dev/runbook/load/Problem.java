package dev.runbook.load;

import dev.runbook.model.Position;

/**
 * One validation error, printed as {@code PATH:LINE:COLUMN: message} (contract,
 * "A runbook file").
 */
public record Problem(Position position, String message) {

    @Override
    public String toString() {
        return position + ": " + message;
    }
}

package dev.runbook.load;

import java.util.List;

/** Thrown when a runbook, library or inventory fails validation; carries every problem found. */
public class InvalidException extends Exception {

    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;

    /** @param problems at least one */
    public InvalidException(List<Problem> problems) {
        super(problems.get(0).toString());
        this.problems = List.copyOf(problems);
    }

    /** Every problem, in file order. */
    public List<Problem> problems() {
        return problems;
    }
}

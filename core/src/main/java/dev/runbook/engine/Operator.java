package dev.runbook.engine;

import dev.runbook.action.ActionContext;
import dev.runbook.action.Output;
import dev.runbook.model.ActionSpec;
import dev.runbook.model.InputDef;
import dev.runbook.model.StepStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The person (or the absence of one) the engine talks to: what is shown, and the prompts
 * of interactive mode. The console implements it; the engine never prints. Prompt
 * methods are only called in interactive mode.
 */
public interface Operator extends Output {

    /** The run starts: show the runbook's header, symptoms, SLA and the log's path. */
    void opened(Plan plan, String incidentId, Path log);

    /** Show a step before it runs: number, title, description, target, SLA clock. */
    void step(StepView view, Plan plan);

    /** Before a step: {@code [Y,s,n,a,b,?]} (RUN/DONE, SKIP, NOTE, ABORT, ROLLBACK). */
    Answer askStep(StepView view);

    /** A choose step: the option number, or SKIP/NOTE/ABORT/ROLLBACK. */
    Answer askChoice(StepView view, ActionSpec.Choose choose);

    /**
     * An input's value, checked against its pattern (asked again until it matches).
     *
     * @param def the input (from {@code inputs:} or an input step)
     * @return the value; the default when the operator just presses Enter
     */
    String askInput(InputDef def);

    /**
     * Typed confirmation of a dangerous step or a mutating step in a protected
     * environment: the operator must type {@code expected} (the environment's name).
     *
     * @return true when typed exactly
     */
    boolean confirmTyped(StepView view, String expected, String why);

    /** After a failed step: RETRY, SKIP, ABORT, ROLLBACK, FOLLOW (the runbook's on_failure) or NOTE. */
    Answer askAfterFailure(StepView view, String error);

    /**
     * On resume, the step whose attempt started and never finished: {@code [r]e-run, mark
     * [d]one, [s]kip, [a]bort}.
     *
     * @param view the step
     * @param since when its attempt started; null when the log does not say
     * @return the operator's choice (ABORT at the end of input)
     */
    InFlightChoice askInFlight(StepView view, java.time.Instant since);

    /** An attempt starts. */
    void attemptStarted(StepView view, int attempt, int attempts);

    /** An attempt ended. */
    void attemptFinished(
            StepView view, int attempt, StepStatus status, Duration took, String error, Map<String, Object> result);

    /** A step is skipped, with the reason. */
    void skipped(StepView view, String reason);

    /**
     * A banner that cannot wait for the walk (an escalation tier, an SLA breach, a post to a channel
     * that failed): called from a timer's thread, during a prompt or a long step.
     */
    void banner(String text);

    /** A line of information (retry delay, branch taken, rollback start…). */
    void info(String text);

    /** The run ended: its outcome, whether the service was verified, how many steps failed. */
    void closed(Closing closing);

    /** How unknown SSH host keys are decided in this mode. */
    ActionContext.HostKeyPolicy hostKeys();

    /**
     * True while a prompt blocks on the operator's input: a stop signal cannot interrupt that
     * read, so the run is closed from the signal's thread at once.
     */
    default boolean waitingForInput() {
        return false;
    }

    /**
     * Puts the operator's terminal back in the mode it was found in; called before the JVM halts
     * on a stop signal, which may arrive while a line editor holds the terminal in raw mode.
     */
    default void restoreTerminal() {}
}

package dev.runbook.engine;

import dev.runbook.action.Action;
import dev.runbook.action.HttpAction;
import dev.runbook.action.NotifyAction;
import dev.runbook.action.ShellAction;
import dev.runbook.action.SqlAction;
import dev.runbook.action.SshAction;
import dev.runbook.action.WaitAction;
import dev.runbook.model.ActionSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The executors by action key. {@code manual}, {@code input} and {@code choose} have none:
 * they are the operator's part and the engine asks the {@link Operator}.
 */
public final class Actions {

    private final Map<String, Action<?>> byKey;

    /** @param byKey executor per action key ({@code http}, {@code shell}, …) */
    public Actions(Map<String, Action<?>> byKey) {
        this.byKey = Map.copyOf(byKey);
    }

    /** The executors of the contract's actions. */
    public static Actions standard() {
        Map<String, Action<?>> m = new LinkedHashMap<>();
        m.put("http", new HttpAction());
        m.put("shell", new ShellAction());
        m.put("sql", new SqlAction());
        m.put("ssh", new SshAction());
        m.put("notify", new NotifyAction());
        m.put("wait", new WaitAction());
        return new Actions(m);
    }

    /** The executor of a spec, if the key has one. */
    @SuppressWarnings("unchecked")
    public <S extends ActionSpec> Optional<Action<S>> forSpec(S spec) {
        return Optional.ofNullable((Action<S>) byKey.get(spec.key()));
    }
}

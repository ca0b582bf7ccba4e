package dev.runbook.action;

import dev.runbook.model.Inventory;
import dev.runbook.template.Masker;
import dev.runbook.template.Renderer;
import dev.runbook.template.Scope;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Builds real {@link ActionContext}s for action tests, and records what actions output. */
final class Contexts {

    final Scope scope = new Scope();
    final Masker masker = new Masker();
    final Recorder output = new Recorder();
    final Cancellation cancellation = new Cancellation();
    Resources resources = new Resources();
    Inventory.Environment environment;
    Duration timeout = Duration.ofSeconds(5);

    /** Sets {@code inputs.<name>}. */
    Contexts input(String name, Object value) {
        scope.get("inputs").put(name, value);
        return this;
    }

    /** Sets {@code secrets.<name>}, masked. */
    Contexts secret(String name, String value) {
        scope.get("secrets").put(name, value);
        masker.add(value);
        return this;
    }

    Contexts timeout(Duration d) {
        timeout = d;
        return this;
    }

    Renderer renderer() {
        return new Renderer(scope.toMap(), masker, false);
    }

    ActionContext build() {
        return new ActionContext(
                "step-id",
                renderer(),
                timeout,
                environment,
                resources,
                output,
                masker,
                cancellation,
                ActionContext.HostKeyPolicy.REFUSE,
                false,
                java.util.Map.of());
    }

    /** An {@link Output} that keeps every line and progress text. */
    static final class Recorder implements Output {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<String> progress = new CopyOnWriteArrayList<>();

        @Override
        public void line(String source, String line) {
            lines.add(source + ": " + line);
        }

        @Override
        public void progress(String text) {
            progress.add(text);
        }
    }
}

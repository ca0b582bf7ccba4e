package dev.runbook.console;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Optional;

/**
 * POSIX signal handlers through {@code sun.misc.Signal} (module jdk.unsupported, present on JDK
 * 17, 21 and 25), the only way the JDK offers to handle SIGINT, SIGTERM or SIGHUP. It is reached
 * by reflection so that the build's {@code -Xlint:all -Werror} holds: javac's "internal
 * proprietary API" warning cannot be suppressed when compiling with {@code --release}.
 */
public final class Signals {

    private static final Class<?> SIGNAL;
    private static final Class<?> HANDLER;
    private static final Method HANDLE;

    static {
        Class<?> signal = null;
        Class<?> handler = null;
        Method handle = null;
        try {
            signal = Class.forName("sun.misc.Signal");
            handler = Class.forName("sun.misc.SignalHandler");
            handle = signal.getMethod("handle", signal, handler);
        } catch (ReflectiveOperationException | LinkageError e) {
            signal = null;
        }
        SIGNAL = signal;
        HANDLER = handler;
        HANDLE = handle;
    }

    /** A handler installed for one signal; {@link #restore()} puts the previous one back. */
    public static final class Installed {
        private final Object signal;
        private final Object previous;

        private Installed(Object signal, Object previous) {
            this.signal = signal;
            this.previous = previous;
        }

        /** Puts back the handler that was there before. */
        public void restore() {
            try {
                HANDLE.invoke(null, signal, previous);
            } catch (ReflectiveOperationException | IllegalArgumentException e) {
                // Nothing to restore into: the JVM is going away with the previous handler lost.
            }
        }
    }

    private Signals() {}

    /**
     * Sends a signal to this process, as {@code kill -NAME $$} would: the handler routed to it runs
     * (or the JVM's default, which exits).
     *
     * @param name the signal's name without {@code SIG}
     * @return false where the signal cannot be raised (no {@code sun.misc.Signal})
     */
    public static boolean raise(String name) {
        if (SIGNAL == null) {
            return false;
        }
        try {
            Object signal = SIGNAL.getConstructor(String.class).newInstance(name);
            SIGNAL.getMethod("raise", SIGNAL).invoke(null, signal);
            return true;
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Routes a signal to {@code handler} (run on the JVM's signal thread).
     *
     * @param name the signal's name without {@code SIG}: {@code INT}, {@code TERM}, {@code HUP}
     * @param handler what to do when it arrives
     * @return the installed handler, or empty where this signal cannot be handled (not a POSIX
     *     system, a signal the JVM reserves, {@code -Xrs})
     */
    public static Optional<Installed> handle(String name, Runnable handler) {
        if (SIGNAL == null) {
            return Optional.empty();
        }
        try {
            Object signal = SIGNAL.getConstructor(String.class).newInstance(name);
            Object proxy = Proxy.newProxyInstance(HANDLER.getClassLoader(), new Class<?>[] {HANDLER}, (p, m, args) -> {
                if (m.getName().equals("handle")) {
                    handler.run();
                    return null;
                }
                return switch (m.getName()) {
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == args[0];
                    default -> "signal handler for SIG" + name;
                };
            });
            return Optional.of(new Installed(signal, HANDLE.invoke(null, signal, proxy)));
        } catch (InvocationTargetException e) {
            return Optional.empty(); // IllegalArgumentException: the signal is in use by the JVM or unknown
        } catch (ReflectiveOperationException e) {
            return Optional.empty();
        }
    }
}

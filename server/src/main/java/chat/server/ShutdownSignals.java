package chat.server;

import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into a call, so the server can shut down gracefully and the process
 * exit 0 (a plain shutdown hook would leave the JVM's exit status at 128 + signal).
 */
final class ShutdownSignals {

    private ShutdownSignals() {
    }

    static void onTerminate(Runnable action) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> action.run());
            } catch (IllegalArgumentException unsupported) {
                // Not every platform has every signal; the other one still works.
            }
        }
    }
}

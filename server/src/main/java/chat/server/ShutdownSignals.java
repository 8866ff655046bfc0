package chat.server;

import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into a call, so the server can shut down gracefully and the process
 * exit 0 (a plain shutdown hook would leave the JVM's exit status at 128 + signal); and SIGHUP,
 * the daemons' habit, into a reload of what can be reloaded (the TLS certificate).
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

    static void onHangUp(Runnable action) {
        try {
            Signal.handle(new Signal("HUP"), signal -> action.run());
        } catch (IllegalArgumentException unsupported) {
            // No SIGHUP here: the file check still reloads.
        }
    }
}

package chat.server.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listening socket on the {@link EventLoop} that answers one HTTP request per connection with
 * an {@link HttpResponder}: the metrics endpoint. Sockets belong to the loop, so this one is
 * served there too, with bounds that keep it cheap: at most {@link #MAX_OPEN} connections, a
 * request head within {@link HttpResponder#MAX_HEAD_BYTES} and {@link #REQUEST_TIMEOUT_MILLIS},
 * and the whole exchange within {@link #EXCHANGE_TIMEOUT_MILLIS}; then the socket is closed. The
 * body is bytes made off the loop ({@code body} only hands out the latest), so a scrape costs the
 * loop a read, a write and a copy.
 *
 * <p>It shares nothing with the chat listeners: a chat client never reaches this port, and the
 * chat port's protocol detection is not changed by it.
 *
 * <p>Loop thread only, except {@link #port()}.
 */
public final class HttpListener {

    private static final Logger log = LoggerFactory.getLogger(HttpListener.class);

    /** Time for a client to send its request head, from accept. */
    public static final long REQUEST_TIMEOUT_MILLIS = 5_000;
    /** Time for the whole exchange, answer included, from accept: a scraper that does not read is cut off. */
    public static final long EXCHANGE_TIMEOUT_MILLIS = 10_000;
    /** Most exchanges open at once; past it a new connection is closed at once (a scraper retries). */
    public static final int MAX_OPEN = 16;

    private final EventLoop loop;
    private final InetSocketAddress address;
    private final Supplier<byte[]> body;
    private final ThrottledLog refusals = new ThrottledLog(log, java.util.concurrent.TimeUnit.SECONDS.toNanos(10));
    private final ThrottledLog acceptFailures = new ThrottledLog(log, java.util.concurrent.TimeUnit.SECONDS.toNanos(10));
    /** After an accept failure (out of descriptors), stop accepting this long. */
    private static final long ACCEPT_BACKOFF_MILLIS = 100;
    private Poller.Listener listener;
    private volatile int port = -1;
    /** Exchanges open now. */
    private int open;

    public HttpListener(EventLoop loop, InetSocketAddress address, Supplier<byte[]> body) {
        this.loop = loop;
        this.address = address;
        this.body = body;
    }

    /** Binds and starts accepting. Call before the loop runs, or on the loop thread. */
    public void bind() throws IOException {
        listener = loop.poller().listen(address, MAX_OPEN, readyOps -> acceptPending());
        port = listener.localAddress().getPort();
    }

    /** The bound port (useful with port 0), or -1 before {@link #bind}. Any thread. */
    public int port() {
        return port;
    }

    /** Exchanges open now. Loop thread only. */
    int openExchanges() {
        return open;
    }

    /** Stops accepting and closes the socket; exchanges under way end by their timeouts. */
    public void close() {
        if (listener == null) {
            return;
        }
        listener.close();
        listener = null;
    }

    private void acceptPending() {
        for (int i = 0; i < MAX_OPEN && listener != null; i++) {
            SocketTransport socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                // Out of descriptors: pause, as the chat listener does, rather than be told again
                // at every iteration (the listen socket stays readable while a scraper waits).
                acceptFailures.warn("metrics endpoint: accept failed ({}); pausing accepts for {} ms",
                        e.toString(), ACCEPT_BACKOFF_MILLIS);
                Poller.Listener paused = listener;
                paused.acceptInterest(false);
                loop.schedule(ACCEPT_BACKOFF_MILLIS, () -> {
                    if (listener == paused) {
                        paused.acceptInterest(true);
                    }
                });
                return;
            }
            if (socket == null) {
                return;
            }
            if (open >= MAX_OPEN) {
                refusals.warn("metrics endpoint: refusing a connection, {} exchanges open (limit {})", open, MAX_OPEN);
                socket.close();
                continue;
            }
            Exchange exchange = new Exchange(socket);
            try {
                socket.register(exchange);
            } catch (IOException e) {
                socket.close();
                continue;
            }
            exchange.start();
            open++;
        }
    }

    /** One connection: read the head, write the answer, close. */
    private final class Exchange implements EventLoop.ReadyHandler {
        private final SocketTransport socket;
        private final HttpResponder responder = new HttpResponder(body);
        /** Ends the exchange if the head does not come in time, then if the answer is not taken. */
        private EventLoop.Timer deadline;
        /** The answer being written; null until the head is complete. */
        private ByteBuffer answer;
        private boolean closed;

        Exchange(SocketTransport socket) {
            this.socket = socket;
        }

        /** Once registered: the head must come in time. */
        void start() {
            deadline = loop.schedule(REQUEST_TIMEOUT_MILLIS, this::requestTimedOut);
        }

        @Override
        public void onReady(int readyOps) {
            try {
                if (answer == null && (readyOps & Poller.READ) != 0) {
                    read();
                }
                if (answer != null && !closed) {
                    write();
                }
            } catch (IOException | RuntimeException e) {
                close();
            }
        }

        private void read() throws IOException {
            ByteBuffer buffer = loop.readBuffer();
            buffer.clear();
            int n = socket.read(buffer);
            if (n < 0) {
                close(); // gone before asking
                return;
            }
            if (n == 0) {
                return;
            }
            buffer.flip();
            byte[] bytes = loop.readBytes();
            buffer.get(bytes, 0, n);
            byte[] response = responder.feed(bytes, 0, n);
            if (response != null) {
                answer(response);
            }
        }

        private void answer(byte[] response) {
            answer = ByteBuffer.wrap(response);
            deadline.cancel();
            deadline = loop.schedule(EXCHANGE_TIMEOUT_MILLIS - REQUEST_TIMEOUT_MILLIS, this::close);
            socket.readInterest(false); // nothing more is read: no body, no second request
            socket.writeInterest(true);
        }

        private void write() throws IOException {
            socket.write(answer);
            if (!answer.hasRemaining()) {
                close();
            }
        }

        private void requestTimedOut() {
            if (closed) {
                return;
            }
            answer(HttpResponder.timedOut(REQUEST_TIMEOUT_MILLIS));
            try {
                write(); // a small answer: the socket takes it at once
            } catch (IOException e) {
                close();
            }
        }

        private void close() {
            if (closed) {
                return;
            }
            closed = true;
            open--;
            deadline.cancel();
            socket.readInterest(false);
            socket.writeInterest(false);
            try {
                // Unread input (a request body we never read) would make close send a reset,
                // which can destroy the answer before the scraper reads it: read what is there.
                ByteBuffer buffer = loop.readBuffer();
                buffer.clear();
                socket.read(buffer);
                socket.shutdownOutput(); // the whole answer is sent; then a FIN
            } catch (IOException ignored) {
                // already gone
            }
            socket.close();
        }
    }
}

package chat.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on 127.0.0.1 between a client and the server, which a test shuts and opens: the
 * client's way to the server, and nothing else. While it refuses, the client's reconnect attempts
 * are refused as by a server that is down, however short the client's backoff, so the test decides
 * what happens before the client gets back. Each relayed connection is two threads copying bytes;
 * when either side ends, both are closed. Every thread ends on {@link #close}.
 */
final class Gate implements AutoCloseable {

    private final int port;
    /** Where connections are relayed to: the server's port. */
    private volatile int upstream;
    /** Accepting while not null. */
    private volatile ServerSocket listener;
    /** Both ends of every relayed connection, to cut them. */
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    Gate(int upstream) throws IOException {
        this.upstream = upstream;
        ServerSocket first = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.port = first.getLocalPort();
        accept(first);
    }

    /** The port clients connect to. */
    int port() {
        return port;
    }

    /** Relays new connections to another port: a server started again elsewhere. */
    void to(int port) {
        upstream = port;
    }

    /** Refuses new connections; those relayed already go on. */
    synchronized void refuse() throws IOException {
        if (listener != null) {
            listener.close();
            listener = null;
        }
    }

    /** Refuses new connections and drops those relayed, as a network that fails would. */
    synchronized void cut() throws IOException {
        refuse();
        sockets.forEach(Gate::quietly);
    }

    /** Accepts again, on the same port. */
    synchronized void open() throws IOException {
        if (listener == null) {
            ServerSocket again = new ServerSocket();
            again.setReuseAddress(true);
            again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            accept(again);
        }
    }

    @Override
    public void close() throws Exception {
        cut();
        for (Thread t : threads) {
            t.join(10_000);
        }
    }

    private void accept(ServerSocket socket) {
        listener = socket;
        start("gate-accept", () -> {
            try {
                while (true) {
                    relay(socket.accept());
                }
            } catch (IOException closed) {
                // refused from now on
            }
        });
    }

    private void relay(Socket client) {
        Socket server;
        try {
            server = new Socket(InetAddress.getLoopbackAddress(), upstream);
        } catch (IOException e) {
            close(client, client);
            return;
        }
        sockets.add(client);
        sockets.add(server);
        start("gate-up", () -> copy(client, server));
        start("gate-down", () -> copy(server, client));
    }

    private static void copy(Socket from, Socket to) {
        byte[] buffer = new byte[8192];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side is gone
        } finally {
            close(from, to);
        }
    }

    private static void close(Socket a, Socket b) {
        quietly(a);
        quietly(b);
    }

    private static void quietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }
}

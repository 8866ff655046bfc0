package chat.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chat-bench relay}: the least a Java NIO server can do for the fan-out workloads, as a
 * floor to hold servers against. Every connection is a member of one room; each line a member
 * sends goes at once, behind a fixed prefix, to every other member, newest member first, with one
 * {@code SocketChannel.write} each from one direct buffer. No chat: no nicks, commands, charsets,
 * limits or output queues; a member whose socket does not take a whole line is disconnected.
 * It speaks enough of the native protocol for {@code fanout --protocol native} in the default
 * room: a new member is sent one line starting with {@code [#lobby] }.
 *
 * <p>Everything runs on one thread named {@value #THREAD}, which {@code ab-latency.sh TRACE=1}
 * looks for. Listens on 127.0.0.0/8 only; runs until killed (or, in tests, interrupted).
 */
@Command(name = "relay", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "A bare NIO relay (one room, no chat, no queues) to compare servers with. Loopback only.")
final class RelayCommand implements Callable<Integer> {

    static final String THREAD = "relay-loop";
    /** Longest line relayed; a longer one disconnects its sender. */
    private static final int MAX_LINE = 4096;
    private static final byte[] JOINED = "[#lobby] -- joined\n".getBytes(StandardCharsets.US_ASCII);
    /** As long as our server's prefix for a guest, so both send the same bytes per delivery. */
    private static final byte[] PREFIX = "[#lobby] guest-1234: ".getBytes(StandardCharsets.US_ASCII);

    @Option(names = "--bind", paramLabel = "HOST", description = "Address to listen on, in 127.0.0.0/8 only (default: ${DEFAULT-VALUE}).")
    String bind = "127.0.0.1";

    @Option(names = "--port", paramLabel = "PORT", description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    /** A member's line not yet ended by its LF. */
    private static final class Member {
        final SocketChannel channel;
        final byte[] partial = new byte[MAX_LINE];
        int partialLength;

        Member(SocketChannel channel) {
            this.channel = channel;
        }
    }

    private Member[] members = new Member[64];
    private int memberCount;
    private final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
    private final ByteBuffer out = ByteBuffer.allocateDirect(PREFIX.length + MAX_LINE + 1);

    @Override
    public Integer call() throws Exception {
        InetSocketAddress address = new InetSocketAddress(LoopbackGuard.requireLoopback(bind), port);
        Thread loop = new Thread(() -> {
            try {
                serve(address, bound -> System.out.println("relay listening on " + bound));
            } catch (IOException e) {
                System.err.println("relay: " + e);
            }
        }, THREAD);
        loop.start();
        loop.join();
        return 1; // only a failure ends the loop
    }

    /**
     * Relays on the calling thread until it is interrupted, then closes every socket.
     * {@code listening} is told the bound address once the port is open.
     */
    void serve(InetSocketAddress address, Consumer<InetSocketAddress> listening) throws IOException {
        try (Selector selector = Selector.open(); ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(address, 1024);
            listener.configureBlocking(false);
            listener.register(selector, SelectionKey.OP_ACCEPT);
            listening.accept((InetSocketAddress) listener.getLocalAddress());
            while (!Thread.currentThread().isInterrupted()) {
                selector.select(); // an interrupt wakes it
                Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                while (ready.hasNext()) {
                    SelectionKey key = ready.next();
                    ready.remove();
                    if (key.isAcceptable()) {
                        acceptAll(listener, selector);
                    } else if (key.isReadable()) {
                        read(key);
                    }
                }
            }
        } finally {
            while (memberCount > 0) {
                drop(members[memberCount - 1]);
            }
        }
    }

    private void acceptAll(ServerSocketChannel listener, Selector selector) throws IOException {
        SocketChannel channel;
        while ((channel = listener.accept()) != null) {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Member member = new Member(channel);
            channel.register(selector, SelectionKey.OP_READ, member);
            if (memberCount == members.length) {
                members = Arrays.copyOf(members, memberCount * 2);
            }
            members[memberCount++] = member;
            if (channel.write(ByteBuffer.wrap(JOINED)) < JOINED.length) {
                drop(member);
            }
        }
    }

    private void read(SelectionKey key) {
        Member member = (Member) key.attachment();
        in.clear();
        int n;
        try {
            n = member.channel.read(in);
        } catch (IOException e) {
            n = -1;
        }
        if (n < 0) {
            drop(member);
            return;
        }
        in.flip();
        while (in.hasRemaining()) {
            byte b = in.get();
            if (b != '\n') {
                if (member.partialLength == MAX_LINE) {
                    drop(member);
                    return;
                }
                member.partial[member.partialLength++] = b;
                continue;
            }
            broadcast(member, member.partial, member.partialLength);
            member.partialLength = 0;
        }
    }

    private void broadcast(Member from, byte[] line, int length) {
        out.clear();
        out.put(PREFIX).put(line, 0, length).put((byte) '\n');
        int end = out.position();
        for (int i = memberCount - 1; i >= 0; i--) {
            Member to = members[i];
            if (to == from) {
                continue;
            }
            out.limit(end).position(0);
            try {
                if (to.channel.write(out) < end) {
                    drop(to); // no queue here: a member that cannot take a line is gone
                }
            } catch (IOException e) {
                drop(to);
            }
        }
    }

    /** Closes a member; safe during {@link #broadcast}, which walks the array downwards. */
    private void drop(Member member) {
        for (int i = 0; i < memberCount; i++) {
            if (members[i] == member) {
                members[i] = members[--memberCount];
                members[memberCount] = null;
                break;
            }
        }
        try {
            member.channel.close();
        } catch (IOException ignored) {
            // it is gone either way
        }
    }
}

package org.uwskit.benchmarks.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Holds N blocking {@code WAIT} requests on one PENDING job ({@code GET JOB_URL?WAIT=60&PHASE=PENDING}), each on its
 * own connection, from one NIO selector thread (raw sockets: a waiting request costs the client a socket
 * and a few bytes). Connections are opened in steps of at most 500 connects under way. A request that is answered
 * (it should not be: the job stays PENDING) is counted and sent again on a new connection. Prints
 * {@code waiters.ready=1} as soon as N requests are sent and unanswered (the caller then starts its measurement),
 * holds them SECONDS more (fails if they are not all held within {@value #RAMP_LIMIT_SECONDS} s), and at the end
 * {@code waiters.target}, {@code waiters.held_min} (the fewest unanswered requests seen after ready),
 * {@code waiters.answered} (early answers), {@code waiters.errors} (refused or reset connections) and
 * {@code waiters.ramp_seconds}.
 */
final class Waiters {
    private static final int MAX_CONNECTING = 500;
    static final int RAMP_LIMIT_SECONDS = 90;

    private final InetSocketAddress address;
    private final byte[] request;
    private int connecting;
    private int held;
    private long answered;
    private long errors;

    private Waiters(URI job) {
        int port = job.getPort() < 0 ? 80 : job.getPort();
        address = new InetSocketAddress(job.getHost(), port);
        String path = job.getRawPath() + "?WAIT=60&PHASE=PENDING";
        request = ("GET " + path + " HTTP/1.1\r\nHost: " + job.getHost() + ":" + port
                + "\r\nAccept: application/xml\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    static void main(List<String> args) throws Exception {
        if (args.size() != 3) {
            throw new IllegalArgumentException("waiters JOB_URL N SECONDS");
        }
        new Waiters(URI.create(args.get(0))).run(Integer.parseInt(args.get(1)), Integer.parseInt(args.get(2)));
    }

    private void run(int n, int seconds) throws IOException {
        long start = System.nanoTime();
        long end = start + RAMP_LIMIT_SECONDS * 1_000_000_000L;
        long readyAt = 0;
        int heldMin = Integer.MAX_VALUE;
        int opened = 0;
        ByteBuffer buf = ByteBuffer.allocate(8192);
        try (Selector selector = Selector.open()) {
            while (System.nanoTime() < end) {
                while (opened < n && connecting < MAX_CONNECTING) {
                    open(selector);
                    opened++;
                }
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel ch = (SocketChannel) key.channel();
                    try {
                        if (key.isConnectable()) {
                            ch.finishConnect();
                            connecting--;
                            ch.write(ByteBuffer.wrap(request)); // a small request fits the empty send buffer
                            held++;
                            key.interestOps(SelectionKey.OP_READ);
                        } else if (key.isReadable()) {
                            buf.clear();
                            int r = ch.read(buf);
                            if (key.attachment() == null) { // first bytes of the answer
                                key.attach(Boolean.TRUE);
                                held--;
                                answered++;
                            }
                            if (r < 0) {
                                key.cancel();
                                ch.close();
                                open(selector);
                            }
                        }
                    } catch (IOException e) {
                        errors++;
                        if (key.isValid() && key.interestOps() == SelectionKey.OP_CONNECT) {
                            connecting--;
                        } else if (key.attachment() == null) {
                            held--;
                        }
                        key.cancel();
                        ch.close();
                        open(selector);
                    }
                }
                selector.selectedKeys().clear();
                if (readyAt == 0 && held >= n) {
                    readyAt = System.nanoTime();
                    end = readyAt + seconds * 1_000_000_000L;
                    System.out.println("waiters.ready=1");
                    System.out.flush();
                }
                if (readyAt != 0) {
                    heldMin = Math.min(heldMin, held);
                }
            }
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
        }
        if (readyAt == 0) {
            throw new IllegalStateException("only " + held + " of " + n + " WAIT requests held after "
                    + RAMP_LIMIT_SECONDS
                    + " s (" + errors + " connection errors)");
        }
        System.out.println("waiters.target=" + n);
        System.out.println("waiters.held_min=" + heldMin);
        System.out.println("waiters.answered=" + answered);
        System.out.println("waiters.errors=" + errors);
        System.out.printf("waiters.ramp_seconds=%.1f%n", (readyAt - start) / 1e9);
    }

    private void open(Selector selector) throws IOException {
        SocketChannel ch = SocketChannel.open();
        ch.configureBlocking(false);
        connecting++;
        if (ch.connect(address)) {
            connecting--;
            ch.write(ByteBuffer.wrap(request));
            held++;
            ch.register(selector, SelectionKey.OP_READ);
        } else {
            ch.register(selector, SelectionKey.OP_CONNECT);
        }
    }
}

package org.uwskit.servlet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Raw-socket HTTP/1.1 clients that send a request head and then trickle the body, as a slow-body attacker does:
 * each has a reader thread that records the whole answer (until the server closes or 60 s pass) and when it came.
 * {@link #close()} closes every socket and stops the threads.
 */
final class SlowClients implements AutoCloseable {
    private final List<Client> clients = new ArrayList<>();
    private final ExecutorService readers;
    private final Thread trickler;
    private final long started = System.nanoTime();
    private volatile boolean stop;

    /** One connection: the head it sent, the answer it got (null until the server answered and closed). */
    static final class Client {
        final String head;
        final Socket socket;
        final OutputStream out;
        volatile String answer;
        volatile long answeredMillis = -1;
        volatile boolean writeFailed;

        Client(String head, Socket socket) throws IOException {
            this.head = head;
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        int status() {
            String a = answer;
            return a == null || a.length() < 12 ? -1 : Integer.parseInt(a.substring(9, 12));
        }

        String body() {
            int i = answer.indexOf("\r\n\r\n");
            return i < 0 ? "" : answer.substring(i + 4);
        }
    }

    /**
     * Opens one connection per head (each sent at once, without body) and starts writing one byte to each every
     * {@code trickleMillis} (0: never).
     */
    SlowClients(int port, List<String> heads, long trickleMillis) throws IOException {
        AtomicInteger n = new AtomicInteger();
        readers = Executors.newFixedThreadPool(Math.max(1, heads.size()), r -> {
            Thread t = new Thread(r, "slow-client-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        for (String head : heads) {
            Socket s = new Socket("127.0.0.1", port);
            s.setSoTimeout(60_000);
            s.setTcpNoDelay(true);
            Client c = new Client(head, s);
            clients.add(c);
            c.out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            c.out.flush();
            readers.execute(() -> readAnswer(c));
        }
        trickler = new Thread(() -> {
            while (!stop && trickleMillis > 0) {
                for (Client c : clients) {
                    if (c.answer == null && !c.writeFailed) {
                        try {
                            c.out.write('a');
                            c.out.flush();
                        } catch (IOException e) {
                            c.writeFailed = true;
                        }
                    }
                }
                try {
                    Thread.sleep(trickleMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "slow-client-trickler");
        trickler.setDaemon(true);
        trickler.start();
    }

    private void readAnswer(Client c) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            InputStream in = c.socket.getInputStream();
            int k;
            while ((k = in.read(buf)) >= 0) {
                got.write(buf, 0, k);
            }
        } catch (IOException e) {
            // reset by the server after its answer, or closed by close(): keep what came
        }
        if (got.size() > 0) {
            c.answeredMillis = (System.nanoTime() - started) / 1_000_000;
            c.answer = got.toString(StandardCharsets.UTF_8);
        }
    }

    List<Client> clients() {
        return clients;
    }

    /** Milliseconds since the clients were opened. */
    long elapsedMillis() {
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** Waits until every client has an answer or {@code millis} passed; true if all have one. */
    boolean awaitAnswers(long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            if (clients.stream().allMatch(c -> c.answer != null)) {
                return true;
            }
            Thread.sleep(50);
        }
        return clients.stream().allMatch(c -> c.answer != null);
    }

    /** The head of a request with a declared body. */
    static String head(String method, String path, String contentType, long contentLength) {
        return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + "Content-Length: " + contentLength + "\r\n\r\n";
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        trickler.interrupt();
        for (Client c : clients) {
            try {
                c.socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        readers.shutdownNow();
        readers.awaitTermination(5, TimeUnit.SECONDS);
    }
}

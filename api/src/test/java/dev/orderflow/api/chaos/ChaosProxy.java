package dev.orderflow.api.chaos;

import static dev.orderflow.api.chaos.WorkloadClock.pause;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy between the service and one of its dependencies, which a test turns bad at will:
 * latency on every chunk, a blackhole (bytes held back in both directions, connections kept, as a
 * partitioned network does; they flow again when healed, as TCP retransmits), or resets (every open
 * connection closed with RST, new ones refused the same way until healed).
 *
 * <p>Plain blocking sockets, two threads per connection: the service opens a few dozen at most, and
 * these threads are the test's own (BlockHound watches only non-blocking threads).
 */
final class ChaosProxy implements AutoCloseable {

    enum Mode {
        PASS, LATENCY, BLACKHOLE, RESET
    }

    private final String name;
    private final int targetPort;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private final AtomicInteger threads = new AtomicInteger();
    private volatile Mode mode = Mode.PASS;
    private volatile long latencyMillis;
    private volatile boolean closed;

    private ChaosProxy(String name, int targetPort, ServerSocket server) {
        this.name = name;
        this.targetPort = targetPort;
        this.server = server;
    }

    /** A proxy on a free loopback port in front of {@code 127.0.0.1:targetPort}. */
    static ChaosProxy start(String name, int targetPort) {
        try {
            ServerSocket server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
            ChaosProxy proxy = new ChaosProxy(name, targetPort, server);
            proxy.daemon("accept", proxy::acceptLoop);
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.getLocalPort();
    }

    String name() {
        return name;
    }

    void latency(long millis) {
        latencyMillis = millis;
        switchTo(Mode.LATENCY);
    }

    void blackhole() {
        switchTo(Mode.BLACKHOLE);
    }

    /** Resets every open connection now and every new one until {@link #heal()}. */
    void reset() {
        switchTo(Mode.RESET);
        open.forEach(ChaosProxy::resetQuietly);
    }

    void heal() {
        switchTo(Mode.PASS);
    }

    private void switchTo(Mode next) {
        synchronized (gate) {
            mode = next;
            gate.notifyAll();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                if (mode == Mode.RESET) {
                    resetQuietly(client);
                    continue;
                }
                connect(client);
            } catch (IOException e) {
                if (!closed) {
                    pause(Duration.ofMillis(10));
                }
            }
        }
    }

    private void connect(Socket client) {
        Socket upstream = new Socket();
        try {
            upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2000);
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
        } catch (IOException e) {
            // the dependency itself is down: the service sees what it would see, a reset
            resetQuietly(client);
            closeQuietly(upstream);
            return;
        }
        open.add(client);
        open.add(upstream);
        daemon("up", () -> pump(client, upstream));
        daemon("down", () -> pump(upstream, client));
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                awaitPassable();
                if (mode == Mode.LATENCY) {
                    pause(Duration.ofMillis(latencyMillis));
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away (or was reset on purpose): the other goes too
        } finally {
            open.remove(from);
            open.remove(to);
            if (mode == Mode.RESET) {
                resetQuietly(to);
            } else {
                closeQuietly(to);
            }
            closeQuietly(from);
        }
    }

    /** Holds bytes back while blackholed; a reset ends the hold by closing the sockets. */
    private void awaitPassable() throws SocketException {
        synchronized (gate) {
            while (mode == Mode.BLACKHOLE && !closed) {
                try {
                    gate.wait(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SocketException("interrupted");
                }
            }
        }
        if (mode == Mode.RESET) {
            throw new SocketException("reset by the chaos proxy");
        }
    }

    private void daemon(String role, Runnable body) {
        Thread thread = new Thread(body, "chaos-proxy-" + name + "-" + role + "-" + threads.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
    }

    private static void resetQuietly(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // already closed
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        switchTo(Mode.PASS);
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        open.forEach(ChaosProxy::closeQuietly);
    }
}

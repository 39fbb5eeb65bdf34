package dev.orderflow.api.chaos;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every request the load sent, one line each, in a file under {@code target/chaos/} and in memory
 * for the checker: what was asked (kind, idempotency key), what came back (status, a hash of the
 * body, the order id) and when. A timeout or a reset is an unknown outcome: the request may or may
 * not have taken effect, and the checker allows both.
 */
final class History implements AutoCloseable {

    /** The status of a request whose outcome the client cannot know (timeout, reset, refused). */
    static final int UNKNOWN = -1;

    /** The status of a request that never reached the service (connection refused): it did nothing. */
    static final int REFUSED = 0;

    /** One request and its outcome. */
    record Entry(String kind, String key, int status, String bodyHash, String orderId, long startMillis, long endMillis,
            String note) {

        boolean succeeded() {
            return status >= 200 && status < 300;
        }

        boolean unknown() {
            return status == UNKNOWN;
        }

        String line() {
            return String.join("\t", kind, key, status == UNKNOWN ? "unknown" : status == REFUSED ? "refused" : Integer.toString(status), bodyHash,
                    orderId == null ? "-" : orderId, Long.toString(startMillis), Long.toString(endMillis),
                    note == null ? "-" : note.replace('\t', ' ').replace('\n', ' '));
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final BufferedWriter file;
    private boolean closed;

    History(Path path) {
        try {
            Files.createDirectories(path.getParent());
            file = Files.newBufferedWriter(path);
            file.write("kind\tkey\tstatus\tbodyHash\torderId\tstartMillis\tendMillis\tnote\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized void record(Entry entry) {
        if (closed) {
            // a client still running after the test ended (it failed): its requests are not part of the run
            return;
        }
        entries.add(entry);
        try {
            file.write(entry.line());
            file.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    @Override
    public synchronized void close() {
        closed = true;
        try {
            file.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

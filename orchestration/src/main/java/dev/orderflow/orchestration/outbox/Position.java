package dev.orderflow.orchestration.outbox;

/**
 * A place in the outbox: the writing transaction's id, then the event's sequence. Ordered, and
 * comparable across instances; {@link #START} is before every event.
 */
public record Position(long txId, long seq) implements Comparable<Position> {

    public static final Position START = new Position(0, 0);

    @Override
    public int compareTo(Position other) {
        int byTx = Long.compare(txId, other.txId);
        return byTx != 0 ? byTx : Long.compare(seq, other.seq);
    }

    public boolean isAfter(Position other) {
        return compareTo(other) > 0;
    }
}

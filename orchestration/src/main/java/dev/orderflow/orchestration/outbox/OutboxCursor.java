package dev.orderflow.orchestration.outbox;

import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * How far one durable reader of the outbox has come (webhook fan-out, EDI documents). A reader takes
 * its turn, reads from its position and moves it in the same transaction as what it wrote for the
 * events read, so each event is handled once, whichever instance runs the reader. Run in a transaction.
 */
public class OutboxCursor {

    private final DatabaseClient db;
    private final String name;

    public OutboxCursor(DatabaseClient db, String name) {
        this.db = db;
        this.name = name;
    }

    /** Only one instance reads at a time; the others skip their turn. */
    public Mono<Boolean> tryTurn() {
        return db.sql("SELECT pg_try_advisory_xact_lock(hashtextextended(:name, 0))")
                .bind("name", name)
                .map(row -> row.get(0, Boolean.class))
                .one();
    }

    /** Where the reader stands; a new reader starts at the beginning of the outbox. */
    public Mono<Position> position() {
        return db.sql("INSERT INTO outbox_cursor (name, tx_id, seq) VALUES (:name, 0, 0) ON CONFLICT (name) DO NOTHING")
                .bind("name", name)
                .then()
                .then(db.sql("SELECT tx_id, seq FROM outbox_cursor WHERE name = :name FOR UPDATE")
                        .bind("name", name)
                        .map(row -> new Position(row.get("tx_id", Long.class), row.get("seq", Long.class)))
                        .one());
    }

    public Mono<Void> advance(Position position) {
        return db.sql("UPDATE outbox_cursor SET tx_id = :tx, seq = :seq WHERE name = :name")
                .bind("tx", position.txId()).bind("seq", position.seq()).bind("name", name)
                .then();
    }
}

package dev.orderflow.orchestration.edi;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * Interchanges taken, by (channel, sender, ISA13): the first post claims the number, takes its orders
 * and stores its 997; a resend gets that 997 back and takes nothing. A claim left by a process that
 * died before its 997 is taken over once it is older than {@link #ABANDONED_AFTER}: the orders it may
 * have taken are found again by their PO numbers, so nothing is taken twice.
 */
public class Interchanges {

    static final Duration ABANDONED_AFTER = Duration.ofMinutes(5);

    private final DatabaseClient db;
    private final Clock clock;

    public Interchanges(DatabaseClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** An interchange's identity. */
    record Key(String channel, String sender, String controlNumber) {
    }

    /** What claiming found: ours to take, taken before (with its 997), or being taken right now. */
    sealed interface Claim {
        record Taken() implements Claim {
        }

        record Done(String acknowledgment) implements Claim {
        }

        record InProgress() implements Claim {
        }
    }

    Mono<Claim> claim(Key key, UUID principalId) {
        OffsetDateTime now = now();
        return db.sql("""
                        INSERT INTO edi_interchange (channel, sender, control_number, principal_id, claimed_at)
                        VALUES (:channel, :sender, :control, :principal, :now)
                        ON CONFLICT (channel, sender, control_number) DO UPDATE SET principal_id = excluded.principal_id, claimed_at = excluded.claimed_at
                        WHERE edi_interchange.completed_at IS NULL AND edi_interchange.claimed_at < :abandoned
                        RETURNING 1""")
                .bind("channel", key.channel()).bind("sender", key.sender()).bind("control", key.controlNumber())
                .bind("principal", principalId).bind("now", now).bind("abandoned", now.minus(ABANDONED_AFTER))
                .map(row -> (Claim) new Claim.Taken())
                .one()
                .switchIfEmpty(Mono.defer(() -> existing(key)));
    }

    private Mono<Claim> existing(Key key) {
        return db.sql("SELECT acknowledgment FROM edi_interchange WHERE channel = :channel AND sender = :sender AND control_number = :control")
                .bind("channel", key.channel()).bind("sender", key.sender()).bind("control", key.controlNumber())
                .map(row -> {
                    String ack = row.get("acknowledgment", String.class);
                    return ack == null ? (Claim) new Claim.InProgress() : new Claim.Done(ack);
                })
                .one()
                // released between the insert and this read: someone else's now, or about to be
                .defaultIfEmpty(new Claim.InProgress());
    }

    Mono<Void> complete(Key key, String acknowledgment) {
        return db.sql("""
                        UPDATE edi_interchange SET completed_at = :now, acknowledgment = :ack
                        WHERE channel = :channel AND sender = :sender AND control_number = :control""")
                .bind("now", now()).bind("ack", acknowledgment)
                .bind("channel", key.channel()).bind("sender", key.sender()).bind("control", key.controlNumber())
                .then();
    }

    /** The interchange could not be taken (an outage): forget the claim so the partner's resend is taken anew. */
    Mono<Void> release(Key key) {
        return db.sql("DELETE FROM edi_interchange WHERE channel = :channel AND sender = :sender AND control_number = :control AND completed_at IS NULL")
                .bind("channel", key.channel()).bind("sender", key.sender()).bind("control", key.controlNumber())
                .then();
    }

    /** Our next interchange control number (ISA13/GS06 of anything we send). */
    Mono<Long> nextControlNumber() {
        return db.sql("SELECT nextval('edi_control_number')").map(row -> row.get(0, Long.class)).one();
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }
}

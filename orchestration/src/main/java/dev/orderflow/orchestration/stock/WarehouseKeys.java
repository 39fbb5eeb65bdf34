package dev.orderflow.orchestration.stock;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Redis key names of one warehouse. All carry the hash tag {@code {wh:W}}, so a warehouse lives in
 * one Redis Cluster slot and a script over several of its keys stays atomic on a cluster too.
 */
public record WarehouseKeys(String warehouse) {

    private String prefix() {
        return "{wh:" + warehouse + "}:";
    }

    /** Which rebuild the warehouse's keys come from; missing means "not loaded". */
    public String generation() {
        return prefix() + "gen";
    }

    /** Hash: SKU -> units available (on-hand minus open and pending reservations). */
    public String available() {
        return prefix() + "avail";
    }

    /** Sorted set: order id -> deadline (epoch ms) of reservations not yet known to be committed. */
    public String pending() {
        return prefix() + "pending";
    }

    /** Hash: SKU -> units reserved for one order, plus {@code ~g} (generation) and {@code ~i} (marker key). */
    public String reservation(UUID orderId) {
        return prefix() + "res:" + orderId;
    }

    /** A marker argument that means "no idempotency key" to reserve.lua (backorder fills). */
    public String noMarker() {
        return generation();
    }

    /** Which order holds a principal's idempotency key (hashed: keys are client-chosen text). */
    public String idempotencyMarker(UUID principalId, String idempotencyKey) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(principalId.toString().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(idempotencyKey.getBytes(StandardCharsets.UTF_8));
            return prefix() + "idem:" + HexFormat.of().formatHex(digest.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships SHA-256", e);
        }
    }
}

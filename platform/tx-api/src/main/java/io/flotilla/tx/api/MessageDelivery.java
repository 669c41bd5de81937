package io.flotilla.tx.api;

/**
 * Body of the coordinator's delivery of a two-phase message to one target. {@code messageId} is
 * {@code <xid>:<branchId>}, the same on every repeat of this delivery and different for every other target, so a
 * receiver drops repeats by it; {@code payload} is the producer's JSON text. The receiver answers any 2xx once the
 * message is handled (or was handled before); anything else makes the coordinator deliver again later.
 */
public record MessageDelivery(String messageId, String xid, long branchId, String name, String payload) {

    public static String messageId(String xid, long branchId) {
        return xid + ":" + branchId;
    }
}

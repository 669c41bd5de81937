package io.flotilla.tx.message;

/**
 * The coordinator asked about this message before its local transaction wrote the barrier row, and was told it
 * never ran: the message is aborted and the local transaction must roll back (it would otherwise commit work whose
 * message is never delivered).
 */
public class MessageAbortedException extends RuntimeException {

    public MessageAbortedException(String xid) {
        super("message " + xid + " was settled as rolled back by the coordinator's check-back before this local "
                + "transaction wrote its barrier; roll back and try again");
    }
}

package io.flotilla.tx.core;

/**
 * A branch method ({@code @TccAction} try or {@code @XaBranch}) was called with no global transaction bound: no
 * {@code X-Flotilla-Xid} header on the request and no initiator around the call. Nothing was registered or
 * written. Over HTTP the starter answers it with a 400 problem ({@code urn:flotilla:problem:tx:no-global-transaction}).
 */
public class NoGlobalTransactionException extends IllegalStateException {

    private final String resource;

    /**
     * @param annotation the branch's annotation, {@code "@TccAction"} or {@code "@XaBranch"}
     * @param resource the branch's resource name
     */
    public NoGlobalTransactionException(String annotation, String resource) {
        super(annotation + " " + resource + " was called outside a global transaction: the request carried no "
                + XidContext.XID_HEADER + " header. Call it inside @GlobalTransactional, through an HTTP client the "
                + "tx starter propagates the xid on (a RestClient.Builder, WebClient.Builder or RestTemplateBuilder bean)");
        this.resource = resource;
    }

    public String resource() {
        return resource;
    }
}

package io.flotilla.id.segment;

/** The tag has no row in the segment table: create it first. */
public class UnknownTagException extends RuntimeException {

    private final String tag;

    /**
     * @param tag the tag asked for
     */
    public UnknownTagException(String tag) {
        super("no segment tag '" + tag + "'; create it first (POST /v1/segments {\"tag\":\"" + tag
                + "\",\"step\":1000} on id-service, or SegmentIdGenerator.createTag)");
        this.tag = tag;
    }

    /** @return the tag asked for */
    public String tag() {
        return tag;
    }
}

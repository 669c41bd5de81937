package io.flotilla.id.segment;

/** A tag was created twice; the existing row is left as it was. */
public class TagExistsException extends RuntimeException {

    private final String tag;

    /**
     * @param tag the tag
     */
    public TagExistsException(String tag) {
        super("segment tag '" + tag + "' exists already");
        this.tag = tag;
    }

    /** @return the tag */
    public String tag() {
        return tag;
    }
}

package io.flotilla.id.segment;

/**
 * The durable side of segment ids: one row per tag holding the largest id handed out in any segment so far
 * ({@code max_id}) and the tag's step. Every allocation moves {@code max_id} forward, so segments never overlap,
 * whichever process or restart asks.
 */
public interface SegmentStore {

    /**
     * Takes the next segment of a tag: moves {@code max_id} forward by {@code step} in one conditional update.
     *
     * @param tag the tag
     * @param step how many ids to take; 0 takes the tag's own step
     * @return the segment, above every segment taken before
     * @throws UnknownTagException when the tag has not been created
     * @throws IdSegmentException when the store cannot be reached or keeps losing to other allocators
     */
    Segment allocate(String tag, long step);

    /**
     * Creates a tag whose first segment starts at 1.
     *
     * @param tag the tag
     * @param step its step, the size of a segment before adaptation
     * @throws TagExistsException when the tag exists already (nothing changes)
     */
    void create(String tag, long step);
}

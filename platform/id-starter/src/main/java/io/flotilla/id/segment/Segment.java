package io.flotilla.id.segment;

/**
 * A range of ids taken from the segment table in one conditional update: {@code firstId..lastId}, inclusive.
 *
 * @param tag the tag it belongs to
 * @param firstId first id of the range ({@code max_id} before the update, plus one)
 * @param lastId last id of the range ({@code max_id} after the update)
 * @param baseStep the tag's configured step, the lower bound of the adaptive step
 */
public record Segment(String tag, long firstId, long lastId, long baseStep) {

    /** @return how many ids the range holds */
    public long size() {
        return lastId - firstId + 1;
    }
}

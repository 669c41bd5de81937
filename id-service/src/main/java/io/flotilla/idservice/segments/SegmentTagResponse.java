package io.flotilla.idservice.segments;

/**
 * A segment tag.
 *
 * @param tag the tag
 * @param step its configured step
 */
public record SegmentTagResponse(String tag, long step) {
}

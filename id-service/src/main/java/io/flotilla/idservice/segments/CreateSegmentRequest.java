package io.flotilla.idservice.segments;

/**
 * Creates a segment tag.
 *
 * @param tag the tag: 1 to 128 letters, digits or {@code . _ : -}, starting with a letter or digit
 * @param step ids per segment before the adaptive step takes over, 1..{@code flotilla.id.segment.max-step}
 */
public record CreateSegmentRequest(String tag, Long step) {
}

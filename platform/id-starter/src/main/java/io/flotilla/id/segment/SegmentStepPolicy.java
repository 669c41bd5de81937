package io.flotilla.id.segment;

import java.time.Duration;

/**
 * Adapts a tag's segment size to its consumption rate, as Leaf does: a segment consumed faster than
 * {@code targetDuration} doubles the next one (up to {@code maxStep}), one that lasted more than twice as long
 * halves it (down to the tag's own step). A busy tag so goes to the database about once per target duration, and
 * an idle one stops holding large ranges that a restart would skip.
 *
 * @param maxStep largest segment taken at once
 * @param targetDuration how long one segment should last
 */
public record SegmentStepPolicy(long maxStep, Duration targetDuration) {

    /** Leaf's bounds: at most 1,000,000 ids per segment, a segment per 15 minutes. */
    public static final SegmentStepPolicy DEFAULT = new SegmentStepPolicy(1_000_000, Duration.ofMinutes(15));

    public SegmentStepPolicy {
        if (maxStep < 1) {
            throw new IllegalArgumentException("maxStep must be at least 1, got " + maxStep);
        }
        if (targetDuration.isNegative() || targetDuration.isZero()) {
            throw new IllegalArgumentException("targetDuration must be positive, got " + targetDuration);
        }
    }

    /**
     * @param currentStep size of the segment taken last
     * @param baseStep the tag's configured step (lower bound)
     * @param sinceLastSegmentNanos time since the last segment was taken
     * @return size of the next segment
     */
    public long nextStep(long currentStep, long baseStep, long sinceLastSegmentNanos) {
        long upper = Math.max(maxStep, baseStep);
        long target = targetDuration.toNanos();
        long next = currentStep;
        if (sinceLastSegmentNanos < target) {
            next = (currentStep > upper / 2) ? upper : currentStep * 2;
        }
        else if (sinceLastSegmentNanos >= 2 * target) {
            next = currentStep / 2;
        }
        return Math.min(upper, Math.max(baseStep, next));
    }
}

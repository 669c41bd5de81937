package io.flotilla.registryservice.console;

import java.time.Duration;

/** Short human forms of durations for the pages: {@code 850 ms}, {@code 12.3 s}, {@code 4 min}, {@code 2 h}. */
final class Durations {

    private Durations() {
    }

    static String format(Duration duration) {
        if (duration == null) {
            return "—";
        }
        long millis = duration.toMillis();
        if (millis < 0) {
            return "-" + format(duration.negated());
        }
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format("%.1f s", millis / 1000.0);
        }
        if (millis < 3_600_000) {
            return (millis / 60_000) + " min " + (millis % 60_000) / 1000 + " s";
        }
        return (millis / 3_600_000) + " h " + (millis % 3_600_000) / 60_000 + " min";
    }
}

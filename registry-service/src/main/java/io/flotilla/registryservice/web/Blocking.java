package io.flotilla.registryservice.web;

import io.flotilla.raft.client.FlotillaHeaders;
import io.flotilla.registryservice.RegistryProperties;
import io.flotilla.registryservice.store.InvalidRequestException;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code index} and {@code wait} parameters of a blocking query, checked. */
public record Blocking(long index, Duration maxWait) {

    /** The header every list and watchable answer carries: the index to pass back as {@code ?index=}. */
    public static final String INDEX_HEADER = FlotillaHeaders.INDEX;

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)?");

    /**
     * @param index the {@code index} parameter or null (no blocking)
     * @param wait  the {@code wait} parameter ({@code 30s}, {@code 500ms}, {@code 2m}; a bare number is seconds)
     */
    public static Blocking of(Long index, String wait, RegistryProperties properties) {
        if (index != null && index < 0) {
            throw new InvalidRequestException("index must be >= 0, got " + index);
        }
        Duration duration = properties.getDefaultWait();
        if (wait != null) {
            Matcher matcher = DURATION.matcher(wait.trim().toLowerCase(Locale.ROOT));
            if (!matcher.matches()) {
                throw new InvalidRequestException("wait must look like 30s, 500ms or 2m, got '" + wait + "'");
            }
            long amount = Long.parseLong(matcher.group(1));
            String unit = matcher.group(2) == null ? "s" : matcher.group(2);
            duration = switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofSeconds(amount);
            };
            if (duration.compareTo(properties.getMaxWait()) > 0) {
                duration = properties.getMaxWait();
            }
        }
        return new Blocking(index == null ? 0 : index, duration);
    }
}

package io.flotilla.loadbalancer.core;

import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The instance metadata contract the load balancers read (the Flotilla registry publishes it; any
 * discovery client may):
 * <ul>
 * <li>{@value #STATUS}: {@code UP} (or absent) makes an instance eligible; any other value, such as
 * {@code DOWN}, {@code DRAINING}, {@code OUT_OF_SERVICE} or {@code STARTING}, excludes it.</li>
 * <li>{@value #WEIGHT}: an integer from 1 to {@value #MAX_WEIGHT}; absent means 1. Anything else is
 * ignored (weight 1) and a warning is logged once per instance and value.</li>
 * </ul>
 */
public final class InstanceMetadata {

    /** Metadata key of the instance status. */
    public static final String STATUS = "status";

    /** Metadata key of the instance weight. */
    public static final String WEIGHT = "weight";

    /** Status value of an instance that may receive requests. */
    public static final String UP = "UP";

    /** Largest accepted weight. */
    public static final int MAX_WEIGHT = 10_000;

    private static final System.Logger LOGGER = System.getLogger(InstanceMetadata.class.getName());

    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /** Whether an instance with this metadata may be chosen. */
    public static boolean isEligible(Map<String, String> metadata) {
        String status = metadata == null ? null : metadata.get(STATUS);
        return status == null || UP.equalsIgnoreCase(status.trim());
    }

    /** Weight of the instance {@code instanceKey}, 1 when absent or invalid. */
    public int weight(String instanceKey, Map<String, String> metadata) {
        String value = metadata == null ? null : metadata.get(WEIGHT);
        if (value == null) {
            return 1;
        }
        try {
            int weight = Integer.parseInt(value.trim());
            if (weight >= 1 && weight <= MAX_WEIGHT) {
                return weight;
            }
        }
        catch (NumberFormatException ex) {
            // reported below like an out-of-range value
        }
        if (warned.add(instanceKey + '\u0000' + value)) {
            LOGGER.log(Level.WARNING, "Ignoring invalid weight ''{0}'' of instance {1}: expected an integer from 1 to {2}; using 1",
                    value, instanceKey, MAX_WEIGHT);
        }
        return 1;
    }

    /** Number of distinct invalid weights reported so far. */
    public int warningsLogged() {
        return warned.size();
    }
}

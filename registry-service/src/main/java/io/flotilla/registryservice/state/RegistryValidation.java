package io.flotilla.registryservice.state;

import io.flotilla.registryservice.state.command.RegistryCommand;
import io.flotilla.registryservice.state.command.RegistryCommand.DeregisterInstance;
import io.flotilla.registryservice.state.command.RegistryCommand.ExpireLeases;
import io.flotilla.registryservice.state.command.RegistryCommand.GrantLease;
import io.flotilla.registryservice.state.command.RegistryCommand.KvCreateSequential;
import io.flotilla.registryservice.state.command.RegistryCommand.KvDelete;
import io.flotilla.registryservice.state.command.RegistryCommand.KvPut;
import io.flotilla.registryservice.state.command.RegistryCommand.RegisterInstance;
import io.flotilla.registryservice.state.command.RegistryCommand.RevokeLease;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The input rules, checked by the service before proposing (so a bad request is a 400 without a log write)
 * and again by {@link RegistryStateMachine#apply}, because the log is the authority. Rules that depend on the
 * state (the lease exists, the CAS matches) are checked only by apply.
 */
public final class RegistryValidation {

    /** Service names, instance ids and zones: a letter or digit, then up to 127 of letters, digits, {@code . _ -}. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    public static final int MAX_HOST_LENGTH = 253;
    public static final int MAX_METADATA_ENTRIES = 64;
    public static final int MAX_METADATA_BYTES = 16 * 1024;
    public static final int MIN_WEIGHT = 0;
    public static final int MAX_WEIGHT = 10_000;
    public static final int MAX_KEY_BYTES = 1024;
    public static final int MAX_VALUE_BYTES = 512 * 1024;
    /** {@code /} and a 20-digit index appended to the prefix of a sequential key. */
    public static final int SEQUENCE_SUFFIX_BYTES = 21;
    public static final int MAX_EXPIRED_LEASES_PER_COMMAND = 10_000;

    private RegistryValidation() {
    }

    /** Why the command is invalid, or empty when it is valid. */
    public static Optional<String> problem(RegistryCommand command) {
        return Optional.ofNullable(switch (command) {
            case RegisterInstance c -> registerProblem(c);
            case DeregisterInstance c -> firstOf(name("service", c.service()), name("instanceId", c.instanceId()));
            case GrantLease c -> c.ttlMillis() > 0 ? null : "ttlMillis must be positive, got " + c.ttlMillis();
            case RevokeLease c -> leaseId(c.leaseId(), false);
            case ExpireLeases c -> expireProblem(c);
            case KvPut c -> firstOf(key("key", c.key(), 0), value(c.value()), version(c.expectedModIndex()),
                    leaseId(c.leaseId(), true));
            case KvDelete c -> firstOf(key("key", c.key(), 0), version(c.expectedModIndex()));
            case KvCreateSequential c -> firstOf(key("prefix", c.prefix(), SEQUENCE_SUFFIX_BYTES), value(c.value()),
                    leaseId(c.leaseId(), true));
        });
    }

    private static String registerProblem(RegisterInstance c) {
        return firstOf(name("service", c.service()), name("instanceId", c.instanceId()), host(c.host()),
                c.port() >= 1 && c.port() <= 65535 ? null : "port must be in 1..65535, got " + c.port(),
                c.zone().isEmpty() ? null : name("zone", c.zone()),
                c.weight() >= MIN_WEIGHT && c.weight() <= MAX_WEIGHT ? null
                        : "weight must be in " + MIN_WEIGHT + ".." + MAX_WEIGHT + ", got " + c.weight(),
                metadata(c.metadata()), leaseId(c.leaseId(), true));
    }

    private static String expireProblem(ExpireLeases c) {
        if (c.leaseIds().isEmpty() || c.leaseIds().size() > MAX_EXPIRED_LEASES_PER_COMMAND) {
            return "leaseIds must hold 1.." + MAX_EXPIRED_LEASES_PER_COMMAND + " ids, got " + c.leaseIds().size();
        }
        for (long id : c.leaseIds()) {
            String problem = leaseId(id, false);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String name(String field, String value) {
        return NAME.matcher(value).matches() ? null : field + " must match " + NAME.pattern() + ", got '" + value + "'";
    }

    private static String host(String host) {
        if (host.isEmpty() || host.length() > MAX_HOST_LENGTH) {
            return "host must be 1.." + MAX_HOST_LENGTH + " characters";
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c <= ' ' || c == 0x7F || c == '/') {
                return "host must not contain whitespace, control characters or '/'";
            }
        }
        return null;
    }

    private static String metadata(Map<String, String> metadata) {
        if (metadata.size() > MAX_METADATA_ENTRIES) {
            return "metadata must have at most " + MAX_METADATA_ENTRIES + " entries, got " + metadata.size();
        }
        long bytes = 0;
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            if (entry.getKey().isEmpty()) {
                return "metadata keys must not be empty";
            }
            bytes += utf8Length(entry.getKey()) + utf8Length(entry.getValue());
        }
        return bytes <= MAX_METADATA_BYTES ? null
                : "metadata must be at most " + MAX_METADATA_BYTES + " bytes of keys and values, got " + bytes;
    }

    private static String key(String field, String key, int reservedBytes) {
        int bytes = utf8Length(key);
        int max = MAX_KEY_BYTES - reservedBytes;
        return bytes >= 1 && bytes <= max ? null : field + " must be 1.." + max + " UTF-8 bytes, got " + bytes;
    }

    private static String value(byte[] value) {
        return value.length <= MAX_VALUE_BYTES ? null
                : "value must be at most " + MAX_VALUE_BYTES + " bytes, got " + value.length;
    }

    private static String version(long expectedModIndex) {
        return expectedModIndex >= RegistryCommand.ANY_VERSION ? null
                : "expectedModIndex must be -1 (any), 0 (absent) or a modIndex, got " + expectedModIndex;
    }

    private static String leaseId(long leaseId, boolean zeroMeansNone) {
        return leaseId > 0 || (zeroMeansNone && leaseId == 0) ? null : "leaseId must be positive, got " + leaseId;
    }

    private static int utf8Length(String value) {
        return value.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String firstOf(String... problems) {
        for (String problem : problems) {
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }
}

package io.flotilla.e2e.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code scripts/shop.stack}, the list of processes {@code ./flotilla up} starts, read the way {@code up.sh} reads
 * it: {@code port} and {@code value} lines name things, {@code process} lines use them as {@code {name}}, and
 * {@code secret} lines name random secrets kept in the data directory.
 *
 * <p>Tests start the same stack with their own ports and data directory, and may replace values and processes
 * (three registry nodes instead of one, PostgreSQL instead of H2), so the stack a user runs and the stack the
 * end-to-end tests run are one definition.
 */
public final class StackFile {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z0-9-]+)}");

    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<ProcessLine> processes = new ArrayList<>();
    private final Map<String, List<String>> secretProperties = new LinkedHashMap<>();

    private StackFile() {
    }

    public static StackFile read(Path file) {
        StackFile stack = new StackFile();
        try {
            for (String raw : Files.readAllLines(file)) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\\s+", 3);
                switch (fields[0]) {
                    case "port" -> stack.ports.put(fields[1], Integer.parseInt(fields[2]));
                    case "value" -> stack.values.put(fields[1], fields[2]);
                    case "process" -> stack.processes.add(ProcessLine.parse(fields[1] + " " + fields[2]));
                    case "secret" -> stack.secretProperties.put(fields[1], List.of(fields[2].split("\\s+")));
                    default -> throw new IllegalArgumentException("unknown line in " + file + ": " + raw);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return stack;
    }

    public Map<String, Integer> ports() {
        return ports;
    }

    public Map<String, String> values() {
        return values;
    }

    public List<ProcessLine> processes() {
        return processes;
    }

    /**
     * Writes each secret, as {@code up.sh} does, into {@code {data}/secrets/<property>} for each of its properties
     * (a random value unless the directory has one already), readable by this user only.
     *
     * @return the secrets by name
     */
    public Map<String, String> writeSecrets(Path dataDir) {
        Path directory = dataDir.resolve("secrets");
        Map<String, String> secrets = new LinkedHashMap<>();
        try {
            Files.createDirectories(directory);
            for (Map.Entry<String, List<String>> secret : secretProperties.entrySet()) {
                String value = null;
                for (String property : secret.getValue()) {
                    if (Files.exists(directory.resolve(property))) {
                        value = Files.readString(directory.resolve(property)).strip();
                    }
                }
                if (value == null) {
                    byte[] random = new byte[32];
                    RANDOM.nextBytes(random);
                    value = HexFormat.of().formatHex(random);
                }
                for (String property : secret.getValue()) {
                    Path file = directory.resolve(property);
                    Files.writeString(file, value);
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                }
                secrets.put(secret.getKey(), value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return secrets;
    }

    /** Fills in values (recursively), then ports and {@code {data}}; an unknown name is an error. */
    public String resolve(String text, Path dataDir) {
        String resolved = text;
        for (int depth = 0; depth < 10; depth++) {
            Matcher matcher = PLACEHOLDER.matcher(resolved);
            StringBuilder out = new StringBuilder();
            boolean replaced = false;
            while (matcher.find()) {
                String name = matcher.group(1);
                String replacement;
                if (name.equals("data")) {
                    replacement = dataDir.toString();
                } else if (values.containsKey(name)) {
                    replacement = values.get(name);
                } else if (ports.containsKey(name)) {
                    replacement = Integer.toString(ports.get(name));
                } else {
                    throw new IllegalArgumentException("{" + name + "} is neither a port nor a value of the stack");
                }
                replaced = true;
                matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
            }
            matcher.appendTail(out);
            resolved = out.toString();
            if (!replaced) {
                return resolved;
            }
        }
        throw new IllegalArgumentException("values refer to each other in a loop: " + text);
    }

    /** One {@code process} line: name, module, the name of its HTTP port, and its arguments (unresolved). */
    public record ProcessLine(String name, String module, String portName, String arguments) {

        static ProcessLine parse(String line) {
            String[] fields = line.split("\\s+", 4);
            return new ProcessLine(fields[0], fields[1], fields[2], fields.length > 3 ? fields[3] : "");
        }
    }
}

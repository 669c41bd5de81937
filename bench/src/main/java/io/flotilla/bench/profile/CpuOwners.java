package io.flotilla.bench.profile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Attributes a CPU profile's samples (async-profiler's collapsed stacks: {@code frame;frame;…;leaf count} per line)
 * to the code that asked for the work: the innermost frame on the stack that is neither the JDK's nor native, mapped
 * to its library, with the JDK calls that code made itself counted as its own (a socket write from Tomcat is
 * Tomcat's, from the tx starter's HTTP client Flotilla's). Stacks with no such frame are the JVM's own threads (JIT,
 * GC) or the JDK working alone (virtual-thread carriers, timers, selectors). This is what #15's "a profile that
 * shows the remaining cost is outside this project's code" is read from (docs/benchmarks.md, eleventh pass).
 *
 * <p>Usage: {@code java -cp bench/target/flotilla-bench.jar io.flotilla.bench.profile.CpuOwners <file.collapsed>...}
 */
public final class CpuOwners {

    public static final String FLOTILLA = "Flotilla (this project)";
    public static final String JIT = "JVM: JIT compilers";
    public static final String GC = "JVM: GC";
    public static final String JDK_ALONE = "JDK alone (carriers, timers, selectors)";
    public static final String NATIVE = "JVM and kernel, other";

    private static final List<String> JDK_PACKAGES = List.of("java/", "javax/", "jdk/", "sun/", "com/sun/");

    /** Package prefix → library, first match wins. */
    private static final Map<String, String> LIBRARIES = libraries();

    private CpuOwners() {
    }

    public static void main(String[] args) throws IOException {
        for (String file : args) {
            Map<String, Long> owners = attribute(Path.of(file));
            System.out.println(format(file, owners));
        }
    }

    /** Samples per owner in one collapsed-stacks file, largest first. */
    public static Map<String, Long> attribute(Path collapsed) throws IOException {
        try (Stream<String> lines = Files.lines(collapsed)) {
            return attribute(lines);
        }
    }

    /** Samples per owner, largest first. */
    public static Map<String, Long> attribute(Stream<String> collapsedLines) {
        Map<String, Long> owners = new LinkedHashMap<>();
        collapsedLines.filter(line -> !line.isBlank()).forEach(line -> {
            int space = line.lastIndexOf(' ');
            owners.merge(owner(line.substring(0, space)), Long.parseLong(line.substring(space + 1).strip()), Long::sum);
        });
        Map<String, Long> sorted = new LinkedHashMap<>();
        owners.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(entry -> sorted.put(entry.getKey(), entry.getValue()));
        return sorted;
    }

    /** The owner of one stack, root first and frames separated by {@code ;}. */
    static String owner(String stack) {
        String[] frames = stack.split(";");
        boolean jdkSeen = false;
        for (int i = frames.length - 1; i >= 0; i--) {
            String frame = javaFrame(frames[i]);
            if (frame == null) {
                continue;
            }
            if (JDK_PACKAGES.stream().anyMatch(frame::startsWith)) {
                jdkSeen = true;
                continue;
            }
            return LIBRARIES.entrySet().stream().filter(library -> frame.startsWith(library.getKey()))
                    .map(Map.Entry::getValue).findFirst()
                    .orElseGet(() -> "other library (" + topPackages(frame) + ")");
        }
        if (stack.contains("CompileBroker") || stack.contains("C2Compiler") || stack.contains("Compilation::")) {
            return JIT;
        }
        if (stack.contains("GC") || stack.contains("Heap") || stack.contains("Generation")) {
            return GC;
        }
        return jdkSeen ? JDK_ALONE : NATIVE;
    }

    /**
     * A Java frame as {@code package/Class.method}, or null for a native, kernel or VM frame. async-profiler writes
     * Java frames with slashes ({@code java/lang/Thread.run}), annotated ones with a {@code _[j]}-style suffix,
     * native and VM frames without a slash or with {@code ::}.
     */
    private static String javaFrame(String frame) {
        String plain = frame.replaceFirst("_\\[[a-z0-9]+]$", "");
        if (plain.contains("::") || plain.startsWith("[") || !plain.contains("/") || plain.contains(".so")) {
            return null;
        }
        return plain;
    }

    /** The first two names of a frame's package path, {@code com/example} for {@code com/example/app/Worker.run}. */
    private static String topPackages(String frame) {
        String[] names = frame.split("/");
        return String.join("/", List.of(names).subList(0, Math.min(2, names.length)));
    }

    /** A table of shares, one owner a line. */
    public static String format(String title, Map<String, Long> owners) {
        long total = owners.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder table = new StringBuilder(title).append(": ").append(total).append(" samples");
        owners.forEach((owner, samples) -> table.append(String.format("%n  %5.1f %%  %s",
                100.0 * samples / Math.max(1, total), owner)));
        return table.toString();
    }

    private static Map<String, String> libraries() {
        Map<String, String> libraries = new LinkedHashMap<>();
        libraries.put("io/flotilla/", FLOTILLA);
        libraries.put("org/apache/catalina/", "Tomcat");
        libraries.put("org/apache/coyote/", "Tomcat");
        libraries.put("org/apache/tomcat/", "Tomcat");
        libraries.put("jakarta/servlet/", "Tomcat");
        libraries.put("org/springframework/", "Spring");
        libraries.put("org/postgresql/", "PgJDBC");
        libraries.put("org/mariadb/", "MariaDB Connector/J");
        libraries.put("com/zaxxer/hikari/", "HikariCP");
        libraries.put("tools/jackson/", "Jackson");
        libraries.put("com/fasterxml/", "Jackson");
        libraries.put("io/micrometer/", "Micrometer");
        libraries.put("ch/qos/logback/", "logging");
        libraries.put("org/slf4j/", "logging");
        libraries.put("org/apache/logging/", "logging");
        libraries.put("io/netty/", "Netty");
        libraries.put("org/apache/hc/", "Apache HttpClient");
        return libraries;
    }
}

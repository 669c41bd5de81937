package io.flotilla.testsupport.network;

import io.flotilla.testsupport.TestServerUnavailableException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Real network partitions between processes on one machine: each process binds its own loopback address
 * (127.0.0.11, 127.0.0.12, …) and a cut between two addresses is a pair of {@code iptables} rules
 * {@code -I INPUT -s A -d B -j DROP} (and B to A). Packets are dropped, not refused, as on a real broken link:
 * established connections stall and new ones time out.
 *
 * <p>Every rule carries the comment {@value #TAG_PREFIX}{@code <pid>} of the JVM that added it. {@link #heal()}
 * and {@link #close()} remove this instance's rules; a JVM shutdown hook removes them if the test never gets
 * there; and {@link #open} removes rules left behind by JVMs that no longer run (killed with {@code kill -9}).
 * List leftovers by hand with {@code iptables -S INPUT | grep flotilla-test-partition}.
 *
 * <p>Needs Linux, root and {@code iptables}; {@link #open} fails with a {@link TestServerUnavailableException}
 * saying what is missing, never skips.
 */
public final class LoopbackPartitions implements AutoCloseable {

    /** Start of the comment on every rule this class adds; the adding JVM's pid follows. */
    public static final String TAG_PREFIX = "flotilla-test-partition-pid-";

    private static final Pattern TAGGED_PID = Pattern.compile(Pattern.quote(TAG_PREFIX) + "(\\d+)");
    /** iptables lives in /usr/sbin, which a non-login shell's PATH may lack; else whatever the PATH finds. */
    static final String IPTABLES = Stream.of("/usr/sbin/iptables", "/sbin/iptables")
            .filter(path -> Files.isExecutable(Path.of(path))).findFirst().orElse("iptables");
    /** How long iptables waits for the xtables lock another iptables command may hold. */
    private static final String XTABLES_LOCK_WAIT_SECONDS = "20";
    private static final long COMMAND_TIMEOUT_SECONDS = 30;

    private final Set<String> hosts;
    private final String tag = TAG_PREFIX + ProcessHandle.current().pid();
    private final List<Rule> added = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::removeAddedRules, "loopback-partitions-cleanup");
    private boolean closed;

    private LoopbackPartitions(Set<String> hosts) {
        this.hosts = hosts;
    }

    /**
     * Checks that partitions can be made among {@code hosts} (IPv4 loopback literals such as {@code 127.0.0.11}):
     * running as root, {@code iptables} usable, every host bindable. Removes rules left by dead JVMs.
     *
     * @throws TestServerUnavailableException naming what is missing and how to provide it
     */
    public static LoopbackPartitions open(String... hosts) {
        Set<String> distinct = new LinkedHashSet<>(List.of(hosts));
        if (distinct.size() < 2) {
            throw new IllegalArgumentException("a partition needs at least two hosts, got " + distinct);
        }
        distinct.forEach(LoopbackPartitions::requireLoopbackLiteral);
        requireRoot();
        requireIptables();
        distinct.forEach(LoopbackPartitions::requireBindable);
        removeRulesOfDeadProcesses();
        LoopbackPartitions partitions = new LoopbackPartitions(Set.copyOf(distinct));
        Runtime.getRuntime().addShutdownHook(partitions.shutdownHook);
        return partitions;
    }

    /** Drops every packet between {@code a} and {@code b}, both ways. */
    public synchronized void cut(String a, String b) {
        requireKnown(a);
        requireKnown(b);
        if (a.equals(b)) {
            throw new IllegalArgumentException("cannot cut " + a + " from itself");
        }
        if (closed) {
            throw new IllegalStateException("these partitions are closed");
        }
        for (Rule rule : List.of(new Rule(a, b), new Rule(b, a))) {
            if (!added.contains(rule)) {
                iptables(rule.spec("-I", tag));
                added.add(rule);
            }
        }
    }

    /** Cuts {@code host} from every other host this instance was opened with. */
    public synchronized void isolate(String host) {
        requireKnown(host);
        for (String other : hosts) {
            if (!other.equals(host)) {
                cut(host, other);
            }
        }
    }

    /** Removes every rule this instance added: all hosts reach each other again. */
    public synchronized void heal() {
        removeAddedRules();
    }

    /** The rules currently in place (iptables' own listing), for failure messages. */
    public static List<String> taggedRules() {
        return iptables("-S", "INPUT").lines().filter(line -> line.contains(TAG_PREFIX)).toList();
    }

    /** Heals and forgets the shutdown hook. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            removeAddedRules();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // The hook is running or about to; it removes what is left.
            }
        }
    }

    private synchronized void removeAddedRules() {
        List<RuntimeException> failures = new ArrayList<>();
        for (Rule rule : List.copyOf(added)) {
            try {
                iptables(rule.spec("-D", tag));
                added.remove(rule);
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            IllegalStateException failure = new IllegalStateException("could not remove " + failures.size()
                    + " iptables rule(s) tagged " + tag + "; remove them by hand (iptables -S INPUT | grep " + tag
                    + ")");
            failures.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    private void requireKnown(String host) {
        if (!hosts.contains(host)) {
            throw new IllegalArgumentException(host + " is not one of " + hosts);
        }
    }

    /** Deletes tagged rules whose JVM is gone: a test killed with {@code kill -9} ran no cleanup. */
    private static void removeRulesOfDeadProcesses() {
        for (String line : taggedRules()) {
            Matcher matcher = TAGGED_PID.matcher(line);
            if (!matcher.find() || ProcessHandle.of(Long.parseLong(matcher.group(1))).isPresent()) {
                continue;
            }
            List<String> delete = new ArrayList<>();
            for (String token : line.trim().split("\\s+")) {
                delete.add(token.replace("\"", ""));
            }
            delete.set(0, "-D");
            iptables(delete.toArray(String[]::new));
        }
    }

    private static void requireLoopbackLiteral(String host) {
        boolean literal = host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        try {
            if (literal && InetAddress.getByName(host) instanceof Inet4Address address && address.isLoopbackAddress()) {
                return;
            }
        } catch (IOException e) {
            // not an address: refused below
        }
        throw new IllegalArgumentException("partitions are made only among IPv4 loopback addresses (127.x.y.z), got '"
                + host + "'");
    }

    private static void requireRoot() {
        String uid;
        try {
            uid = run(List.of("id", "-u")).output().trim();
        } catch (UncheckedIOException e) {
            throw new TestServerUnavailableException("real network partitions need Linux (`id -u` failed: "
                    + e.getCause().getMessage() + ")");
        }
        if (!"0".equals(uid)) {
            throw new TestServerUnavailableException("real network partitions need root to add iptables rules, but "
                    + "this JVM runs as uid " + uid + ": run the test as root (CI does)");
        }
    }

    private static void requireIptables() {
        CommandResult listed;
        try {
            listed = run(List.of(IPTABLES, "-w", XTABLES_LOCK_WAIT_SECONDS, "-S", "INPUT"));
        } catch (UncheckedIOException e) {
            throw new TestServerUnavailableException("real network partitions need `iptables` (in /usr/sbin, /sbin "
                    + "or on the PATH), and it cannot be run (" + e.getCause().getMessage() + "): install it with `apt-get install -y "
                    + "iptables` (scripts/prepare-test-servers.sh does so)");
        }
        if (listed.exitCode() != 0) {
            throw new TestServerUnavailableException("`iptables -S INPUT` failed with exit code " + listed.exitCode()
                    + " (no netfilter support, or no permission?): " + listed.output().trim());
        }
    }

    private static void requireBindable(String host) {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            probe.getLocalPort();
        } catch (IOException e) {
            throw new TestServerUnavailableException("real network partitions need " + host + " on the loopback "
                    + "interface (Linux answers on all of 127.0.0.0/8), but it cannot be bound: " + e.getMessage());
        }
    }

    private static String iptables(String... args) {
        List<String> command = new ArrayList<>(List.of(IPTABLES, "-w", XTABLES_LOCK_WAIT_SECONDS));
        command.addAll(List.of(args));
        CommandResult result = run(command);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + result.exitCode()
                    + ": " + result.output().trim());
        }
        return result.output();
    }

    /**
     * Runs a short command to its end even when the calling thread is interrupted (a JUnit time-out interrupts the
     * test thread, and the rules must still come off in its {@code finally}); the interrupt is kept for the caller.
     */
    private static CommandResult run(Collection<String> command) {
        boolean interrupted = Thread.interrupted();
        try {
            Process process = new ProcessBuilder(List.copyOf(command)).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(COMMAND_TIMEOUT_SECONDS);
            while (true) {
                try {
                    if (process.waitFor(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                        return new CommandResult(process.exitValue(), new String(output, StandardCharsets.UTF_8));
                    }
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not finish within "
                            + COMMAND_TIMEOUT_SECONDS + " s");
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private record CommandResult(int exitCode, String output) {
    }

    /** One direction of a cut: packets from {@code source} to {@code destination} are dropped. */
    private record Rule(String source, String destination) {

        String[] spec(String operation, String tag) {
            return new String[] {operation, "INPUT", "-s", source, "-d", destination,
                    "-m", "comment", "--comment", tag, "-j", "DROP"};
        }
    }
}

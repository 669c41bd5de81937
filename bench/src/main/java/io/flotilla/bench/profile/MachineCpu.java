package io.flotilla.bench.profile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The CPU time every process on the machine has spent, kernel included ({@code /proc/stat}'s first line: user, nice,
 * system, irq and softirq, not idle or I/O wait), so that a phase's CPU per operation can count the databases, the
 * load driver and the kernel beside the processes measured one by one. Empty where there is no {@code /proc/stat}.
 */
public final class MachineCpu {

    /** Linux reports {@code /proc/stat} in USER_HZ, 100 per second on every architecture the JDK runs on. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private MachineCpu() {
    }

    public static OptionalLong busyNanos() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long ticks = 0;
            for (int field : new int[] {1, 2, 3, 6, 7}) {
                ticks += Long.parseLong(fields[field]);
            }
            return OptionalLong.of(ticks * NANOS_PER_TICK);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}

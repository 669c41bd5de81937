package io.flotilla.raft.log;

import java.util.List;

/**
 * The replicated log as the node sees it: a contiguous run of entries {@code firstIndex()..lastIndex()},
 * preceded by the snapshot that replaced everything before it.
 *
 * <p>Writes are buffered until {@link #sync()}: the node appends a whole batch of entries (from many
 * clients or one AppendEntries) and calls {@code sync()} once before it acknowledges any of them. That is
 * the group commit. After a crash, entries appended but never synced may be lost, and the last one may be
 * torn; implementations must recover to a prefix of what was appended and never lose a synced entry.
 *
 * <p>Called from the node's single event-loop thread only; implementations need no locking of their own.
 */
public interface LogStorage extends AutoCloseable {

    /** Index of the first entry still held; {@code snapshotIndex() + 1} once a prefix is compacted. */
    long firstIndex();

    /** Index of the last entry appended, or {@code snapshotIndex()} when no entry follows the snapshot. */
    long lastIndex();

    /** Index of the last entry covered by a snapshot (0 when none). */
    long snapshotIndex();

    /** Term of the last entry covered by a snapshot (0 when none). */
    long snapshotTerm();

    /**
     * Term of the entry at {@code index}; {@code snapshotTerm()} for {@code snapshotIndex()}; 0 for index 0.
     *
     * @throws IndexOutOfBoundsException when the index is compacted away or beyond {@code lastIndex()}
     */
    long term(long index);

    /**
     * The entry at {@code index}.
     *
     * @throws IndexOutOfBoundsException when the index is outside {@code firstIndex()..lastIndex()}
     */
    LogEntry entry(long index);

    /**
     * Entries from {@code fromIndex} up to {@code toIndexExclusive}, stopping early once {@code maxBytes}
     * of {@link LogEntry#sizeInBytes()} is reached (at least one entry is always returned when any exists).
     */
    List<LogEntry> entries(long fromIndex, long toIndexExclusive, long maxBytes);

    /**
     * Appends entries that continue the log: the first must have index {@code lastIndex() + 1}.
     * Not durable until {@link #sync()}.
     */
    void append(List<LogEntry> entries);

    /** Removes every entry with index {@code >= fromIndex} (a follower's conflicting suffix). */
    void truncateSuffix(long fromIndex);

    /**
     * Drops entries up to and including {@code upToIndex}, which a durable snapshot now covers. Space may
     * be reclaimed lazily (whole segments at a time).
     */
    void compactPrefix(long upToIndex, long termAtIndex);

    /** Discards the whole log: it now starts right after an installed snapshot. */
    void reset(long snapshotIndex, long snapshotTerm);

    /** Makes every appended entry durable (fsync). */
    void sync();

    @Override
    void close();
}

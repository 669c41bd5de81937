package io.flotilla.raft.storage.file;

import io.flotilla.raft.log.EntryType;
import io.flotilla.raft.log.LogEntry;
import io.flotilla.raft.log.LogStorage;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Entries with recognisable content, so a read of the wrong record never passes for the right one. */
final class LogFixtures {

    private LogFixtures() {
    }

    static LogEntry entry(long index, long term, int dataSize) {
        byte[] data = new byte[dataSize];
        new Random(index * 31 + term).nextBytes(data);
        EntryType type = index % 7 == 0 ? EntryType.NOOP : index % 11 == 0 ? EntryType.CONFIGURATION : EntryType.COMMAND;
        return new LogEntry(index, term, type, data);
    }

    /** Entries {@code from..to} inclusive, each with {@code dataSize} bytes of data. */
    static List<LogEntry> entries(long from, long to, long term, int dataSize) {
        List<LogEntry> entries = new ArrayList<>();
        for (long index = from; index <= to; index++) {
            entries.add(entry(index, term, dataSize));
        }
        return entries;
    }

    static List<LogEntry> readAll(LogStorage log) {
        return log.entries(log.firstIndex(), log.lastIndex() + 1, Long.MAX_VALUE);
    }

    /** Bytes one record of {@code dataSize} bytes of data takes in a segment. */
    static int recordSize(int dataSize) {
        return SegmentFormat.RECORD_OVERHEAD + dataSize;
    }
}

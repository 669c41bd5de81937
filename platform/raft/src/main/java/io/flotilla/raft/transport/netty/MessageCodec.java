package io.flotilla.raft.transport.netty;

import io.flotilla.raft.log.EntryType;
import io.flotilla.raft.log.LogEntry;
import io.flotilla.raft.rpc.AppendEntriesRequest;
import io.flotilla.raft.rpc.AppendEntriesResponse;
import io.flotilla.raft.rpc.InstallSnapshotRequest;
import io.flotilla.raft.rpc.InstallSnapshotResponse;
import io.flotilla.raft.rpc.ProposeRequest;
import io.flotilla.raft.rpc.ProposeResponse;
import io.flotilla.raft.rpc.RaftMessage;
import io.flotilla.raft.rpc.TimeoutNowRequest;
import io.flotilla.raft.rpc.VoteRequest;
import io.flotilla.raft.rpc.VoteResponse;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary encoding of {@link RaftMessage}s inside one frame (the 4-byte big-endian length prefix is
 * added and removed around it by the transport).
 *
 * <pre>
 * frame body := version (byte, 1) | message type (byte) | from (string) | to (string) | term (varlong) | fields
 * varlong    := unsigned LEB128, 7 bits a byte, low bits first, at most 10 bytes (negative values take 10)
 * string     := byte length (varlong) | UTF-8 bytes;   bytes := length (varlong) | raw bytes
 * flags      := one byte, bit 0 first; undefined bits must be zero
 *
 * 1 VoteRequest             lastLogIndex, lastLogTerm (varlong) | flags: preVote, leadershipTransfer
 * 2 VoteResponse            flags: granted, preVote
 * 3 AppendEntriesRequest    prevLogIndex, prevLogTerm, leaderCommit, readContext (varlong) | entry count (varlong)
 *                           | per entry: index, term (varlong) | type (byte) | data (bytes)
 * 4 AppendEntriesResponse   flags: success | matchIndex, conflictIndex, conflictTerm, readContext (varlong)
 * 5 InstallSnapshotRequest  lastIncludedIndex, lastIncludedTerm, offset (varlong) | flags: done | config, chunk (bytes)
 * 6 InstallSnapshotResponse lastIncludedIndex, nextOffset (varlong) | flags: success
 * 7 TimeoutNowRequest       (no further fields)
 * 8 ProposeRequest          proposalId (varlong) | clientId (string, empty: no session) | sequence (varlong)
 *                           | command (bytes)
 * 9 ProposeResponse         proposalId (varlong) | outcome (byte: 0 applied, 1 refused, 2 stale, 3 unknown)
 *                           | index, entryTerm (varlong) | result (bytes) | leaderHint (string)
 * </pre>
 *
 * Decoding checks every length against the bytes actually present and rejects trailing bytes, so a
 * damaged or hostile frame fails with a {@link io.netty.handler.codec.DecoderException} instead of
 * allocating what it claims.
 */
public final class MessageCodec {

    public static final byte VERSION = 1;

    private static final byte VOTE_REQUEST = 1;
    private static final byte VOTE_RESPONSE = 2;
    private static final byte APPEND_ENTRIES_REQUEST = 3;
    private static final byte APPEND_ENTRIES_RESPONSE = 4;
    private static final byte INSTALL_SNAPSHOT_REQUEST = 5;
    private static final byte INSTALL_SNAPSHOT_RESPONSE = 6;
    private static final byte TIMEOUT_NOW_REQUEST = 7;
    private static final byte PROPOSE_REQUEST = 8;
    private static final byte PROPOSE_RESPONSE = 9;

    private MessageCodec() {
    }

    public static void encode(RaftMessage message, ByteBuf out) {
        out.writeByte(VERSION);
        out.writeByte(typeOf(message));
        writeString(out, message.from());
        writeString(out, message.to());
        writeVarLong(out, message.term());
        switch (message) {
            case VoteRequest m -> {
                writeVarLong(out, m.lastLogIndex());
                writeVarLong(out, m.lastLogTerm());
                out.writeByte(flags(m.preVote(), m.leadershipTransfer()));
            }
            case VoteResponse m -> out.writeByte(flags(m.granted(), m.preVote()));
            case AppendEntriesRequest m -> {
                writeVarLong(out, m.prevLogIndex());
                writeVarLong(out, m.prevLogTerm());
                writeVarLong(out, m.leaderCommit());
                writeVarLong(out, m.readContext());
                writeVarLong(out, m.entries().size());
                for (LogEntry entry : m.entries()) {
                    writeVarLong(out, entry.index());
                    writeVarLong(out, entry.term());
                    out.writeByte(entry.type().code());
                    writeBytes(out, entry.data());
                }
            }
            case AppendEntriesResponse m -> {
                out.writeByte(flags(m.success(), false));
                writeVarLong(out, m.matchIndex());
                writeVarLong(out, m.conflictIndex());
                writeVarLong(out, m.conflictTerm());
                writeVarLong(out, m.readContext());
            }
            case InstallSnapshotRequest m -> {
                writeVarLong(out, m.lastIncludedIndex());
                writeVarLong(out, m.lastIncludedTerm());
                writeVarLong(out, m.offset());
                out.writeByte(flags(m.done(), false));
                writeBytes(out, m.config());
                writeBytes(out, m.chunk());
            }
            case InstallSnapshotResponse m -> {
                writeVarLong(out, m.lastIncludedIndex());
                writeVarLong(out, m.nextOffset());
                out.writeByte(flags(m.success(), false));
            }
            case TimeoutNowRequest m -> {
                // from, to and term say it all
            }
            case ProposeRequest m -> {
                writeVarLong(out, m.proposalId());
                writeString(out, m.clientId());
                writeVarLong(out, m.sequence());
                writeBytes(out, m.command());
            }
            case ProposeResponse m -> {
                writeVarLong(out, m.proposalId());
                out.writeByte(m.outcome().ordinal());
                writeVarLong(out, m.index());
                writeVarLong(out, m.entryTerm());
                writeBytes(out, m.result());
                writeString(out, m.leaderHint());
            }
        }
    }

    /**
     * Decodes one whole frame body.
     *
     * @throws UnsupportedProtocolVersionException when the version byte is not {@link #VERSION}
     * @throws CorruptedFrameException             when the body is malformed
     */
    public static RaftMessage decode(ByteBuf in) {
        try {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new UnsupportedProtocolVersionException(version);
            }
            int type = in.readUnsignedByte();
            String from = readString(in);
            String to = readString(in);
            long term = readVarLong(in);
            RaftMessage message = switch (type) {
                case VOTE_REQUEST -> {
                    long lastLogIndex = readVarLong(in);
                    long lastLogTerm = readVarLong(in);
                    int flags = readFlags(in, 2);
                    yield new VoteRequest(from, to, term, lastLogIndex, lastLogTerm, bit(flags, 0), bit(flags, 1));
                }
                case VOTE_RESPONSE -> {
                    int flags = readFlags(in, 2);
                    yield new VoteResponse(from, to, term, bit(flags, 0), bit(flags, 1));
                }
                case APPEND_ENTRIES_REQUEST -> {
                    long prevLogIndex = readVarLong(in);
                    long prevLogTerm = readVarLong(in);
                    long leaderCommit = readVarLong(in);
                    long readContext = readVarLong(in);
                    List<LogEntry> entries = readEntries(in);
                    yield new AppendEntriesRequest(from, to, term, prevLogIndex, prevLogTerm, entries, leaderCommit,
                            readContext);
                }
                case APPEND_ENTRIES_RESPONSE -> {
                    int flags = readFlags(in, 1);
                    yield new AppendEntriesResponse(from, to, term, bit(flags, 0), readVarLong(in), readVarLong(in),
                            readVarLong(in), readVarLong(in));
                }
                case INSTALL_SNAPSHOT_REQUEST -> {
                    long lastIncludedIndex = readVarLong(in);
                    long lastIncludedTerm = readVarLong(in);
                    long offset = readVarLong(in);
                    int flags = readFlags(in, 1);
                    byte[] config = readBytes(in);
                    byte[] chunk = readBytes(in);
                    yield new InstallSnapshotRequest(from, to, term, lastIncludedIndex, lastIncludedTerm, config, offset,
                            chunk, bit(flags, 0));
                }
                case INSTALL_SNAPSHOT_RESPONSE -> {
                    long lastIncludedIndex = readVarLong(in);
                    long nextOffset = readVarLong(in);
                    int flags = readFlags(in, 1);
                    yield new InstallSnapshotResponse(from, to, term, lastIncludedIndex, nextOffset, bit(flags, 0));
                }
                case TIMEOUT_NOW_REQUEST -> new TimeoutNowRequest(from, to, term);
                case PROPOSE_REQUEST -> {
                    long proposalId = readVarLong(in);
                    String clientId = readString(in);
                    long sequence = readVarLong(in);
                    yield new ProposeRequest(from, to, term, proposalId, clientId, sequence, readBytes(in));
                }
                case PROPOSE_RESPONSE -> {
                    long proposalId = readVarLong(in);
                    ProposeResponse.Outcome outcome = ProposeResponse.Outcome.fromCode(in.readUnsignedByte());
                    long index = readVarLong(in);
                    long entryTerm = readVarLong(in);
                    byte[] result = readBytes(in);
                    yield new ProposeResponse(from, to, term, proposalId, outcome, index, entryTerm, result,
                            readString(in));
                }
                default -> throw new CorruptedFrameException("unknown message type " + type);
            };
            if (in.isReadable()) {
                throw new CorruptedFrameException(in.readableBytes() + " unexpected bytes after a " + type + " message");
            }
            return message;
        } catch (IndexOutOfBoundsException e) {
            throw new CorruptedFrameException("frame ends inside a message", e);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new CorruptedFrameException("frame holds an invalid message: " + e.getMessage(), e);
        }
    }

    private static byte typeOf(RaftMessage message) {
        return switch (message) {
            case VoteRequest m -> VOTE_REQUEST;
            case VoteResponse m -> VOTE_RESPONSE;
            case AppendEntriesRequest m -> APPEND_ENTRIES_REQUEST;
            case AppendEntriesResponse m -> APPEND_ENTRIES_RESPONSE;
            case InstallSnapshotRequest m -> INSTALL_SNAPSHOT_REQUEST;
            case InstallSnapshotResponse m -> INSTALL_SNAPSHOT_RESPONSE;
            case TimeoutNowRequest m -> TIMEOUT_NOW_REQUEST;
            case ProposeRequest m -> PROPOSE_REQUEST;
            case ProposeResponse m -> PROPOSE_RESPONSE;
        };
    }

    private static List<LogEntry> readEntries(ByteBuf in) {
        long count = readVarLong(in);
        // Every entry takes at least 4 bytes (index, term, type, data length), which bounds a lying count.
        if (count < 0 || count > in.readableBytes() / 4) {
            throw new CorruptedFrameException("entry count " + count + " does not fit in the frame");
        }
        List<LogEntry> entries = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            long index = readVarLong(in);
            long term = readVarLong(in);
            EntryType type = EntryType.fromCode(in.readUnsignedByte());
            entries.add(new LogEntry(index, term, type, readBytes(in)));
        }
        return entries;
    }

    private static int flags(boolean bit0, boolean bit1) {
        return (bit0 ? 1 : 0) | (bit1 ? 2 : 0);
    }

    private static int readFlags(ByteBuf in, int definedBits) {
        int flags = in.readUnsignedByte();
        if ((flags >>> definedBits) != 0) {
            throw new CorruptedFrameException("undefined flag bits in 0x" + Integer.toHexString(flags));
        }
        return flags;
    }

    private static boolean bit(int flags, int bit) {
        return (flags & (1 << bit)) != 0;
    }

    static void writeVarLong(ByteBuf out, long value) {
        long remaining = value;
        while ((remaining & ~0x7FL) != 0) {
            out.writeByte((int) (remaining & 0x7F) | 0x80);
            remaining >>>= 7;
        }
        out.writeByte((int) remaining);
    }

    static long readVarLong(ByteBuf in) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            if (shift == 63 && (b & 0xFE) != 0) {
                throw new CorruptedFrameException("varlong overflows 64 bits");
            }
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new CorruptedFrameException("varlong longer than 10 bytes");
    }

    private static void writeBytes(ByteBuf out, byte[] bytes) {
        writeVarLong(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static byte[] readBytes(ByteBuf in) {
        long length = readVarLong(in);
        if (length < 0 || length > in.readableBytes()) {
            throw new CorruptedFrameException("byte string of " + length + " bytes does not fit in the frame");
        }
        byte[] bytes = new byte[(int) length];
        in.readBytes(bytes);
        return bytes;
    }

    private static void writeString(ByteBuf out, String value) {
        writeBytes(out, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String readString(ByteBuf in) {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }
}

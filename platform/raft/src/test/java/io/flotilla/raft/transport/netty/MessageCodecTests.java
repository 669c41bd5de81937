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
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageCodecTests {

    @Test
    void everyMessageTypeRoundTrips() {
        for (RaftMessage message : samples()) {
            assertRoundTrip(message);
        }
        List<Class<?>> covered = samples().stream().<Class<?>>map(RaftMessage::getClass).distinct().toList();
        assertThat(covered).containsExactlyInAnyOrder(RaftMessage.class.getPermittedSubclasses());
    }

    @Test
    void largeEntryListsAndByteArraysRoundTrip() {
        Random random = new Random(7);
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 1; i <= 10_000; i++) {
            byte[] data = new byte[random.nextInt(64)];
            random.nextBytes(data);
            entries.add(new LogEntry(1_000_000L + i, 42, EntryType.COMMAND, data));
        }
        byte[] big = new byte[3 * 1024 * 1024];
        random.nextBytes(big);
        entries.add(new LogEntry(1_010_001L, 42, EntryType.COMMAND, big));
        assertRoundTrip(new AppendEntriesRequest("a", "b", 42, 1_000_000, 41, entries, 999_999, 12));
        assertRoundTrip(new InstallSnapshotRequest("a", "b", 42, 5, 4, new byte[0], 1L << 40, big, false));
    }

    @Test
    void smallNumbersTakeOneByte() {
        ByteBuf buffer = Unpooled.buffer();
        MessageCodec.encode(new VoteResponse("a", "b", 5, true, false), buffer);
        // version, type, "a" (2), "b" (2), term (1), flags (1)
        assertThat(buffer.readableBytes()).isEqualTo(8);
    }

    @Test
    void unknownVersionIsRejected() {
        ByteBuf frame = encode(new TimeoutNowRequest("a", "b", 1));
        frame.setByte(0, 9);
        assertThatThrownBy(() -> MessageCodec.decode(frame))
                .isInstanceOf(UnsupportedProtocolVersionException.class)
                .hasMessageContaining("unsupported protocol version 9");
    }

    @Test
    void unknownMessageTypeIsRejected() {
        ByteBuf frame = encode(new TimeoutNowRequest("a", "b", 1));
        frame.setByte(1, 99);
        assertThatThrownBy(() -> MessageCodec.decode(frame))
                .isInstanceOf(CorruptedFrameException.class)
                .hasMessageContaining("unknown message type 99");
    }

    @Test
    void trailingBytesAreRejected() {
        ByteBuf frame = encode(new VoteResponse("a", "b", 1, true, true));
        frame.writeByte(0);
        assertThatThrownBy(() -> MessageCodec.decode(frame)).isInstanceOf(CorruptedFrameException.class);
    }

    @Test
    void lengthsThatExceedTheFrameAreRejectedWithoutAllocating() {
        ByteBuf frame = Unpooled.buffer();
        frame.writeByte(MessageCodec.VERSION).writeByte(7);
        MessageCodec.writeVarLong(frame, Integer.MAX_VALUE);
        assertThatThrownBy(() -> MessageCodec.decode(frame)).isInstanceOf(CorruptedFrameException.class);
    }

    @Test
    void everyTruncationOfAFrameIsRejected() {
        for (RaftMessage message : samples()) {
            ByteBuf whole = encode(message);
            for (int length = 0; length < whole.readableBytes(); length++) {
                ByteBuf prefix = whole.slice(0, length);
                assertThatThrownBy(() -> MessageCodec.decode(prefix))
                        .as("%s cut to %d bytes", message.getClass().getSimpleName(), length)
                        .isInstanceOf(DecoderException.class);
            }
        }
    }

    @Test
    void varLongsCoverTheWholeRange() {
        for (long value : new long[] {0, 1, 127, 128, 16_383, 16_384, Integer.MAX_VALUE, Long.MAX_VALUE, -1,
                Long.MIN_VALUE}) {
            ByteBuf buffer = Unpooled.buffer();
            MessageCodec.writeVarLong(buffer, value);
            assertThat(MessageCodec.readVarLong(buffer)).isEqualTo(value);
            assertThat(buffer.isReadable()).isFalse();
        }
        ByteBuf overlong = Unpooled.buffer();
        for (int i = 0; i < 11; i++) {
            overlong.writeByte(0xFF);
        }
        assertThatThrownBy(() -> MessageCodec.readVarLong(overlong)).isInstanceOf(CorruptedFrameException.class);
    }

    @Property(tries = 300)
    void randomMessagesRoundTrip(@ForAll long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < 10; i++) {
            assertRoundTrip(randomMessage(random));
        }
    }

    @Property(tries = 300)
    void randomGarbageNeverDecodesToSomethingElseThanADecoderError(@ForAll byte[] garbage) {
        ByteBuf frame = Unpooled.wrappedBuffer(garbage);
        try {
            RaftMessage message = MessageCodec.decode(frame);
            assertRoundTrip(message);
        } catch (DecoderException expected) {
            assertThat(expected).isInstanceOfAny(CorruptedFrameException.class,
                    UnsupportedProtocolVersionException.class);
        }
    }

    private static void assertRoundTrip(RaftMessage message) {
        RaftMessage decoded = MessageCodec.decode(encode(message));
        if (message instanceof InstallSnapshotRequest sent) {
            // byte[] components: the record's equals compares them by identity
            assertThat(decoded).isInstanceOfSatisfying(InstallSnapshotRequest.class, received -> {
                assertThat(received.config()).isEqualTo(sent.config());
                assertThat(received.chunk()).isEqualTo(sent.chunk());
                assertThat(new InstallSnapshotRequest(received.from(), received.to(), received.term(),
                        received.lastIncludedIndex(), received.lastIncludedTerm(), sent.config(), received.offset(),
                        sent.chunk(), received.done())).isEqualTo(sent);
            });
        } else if (message instanceof ProposeRequest || message instanceof ProposeResponse) {
            // byte[] components again: compared by content, in one Arrays.equals each (the recursive comparison's
            // default walks an array element by element, which took minutes on the 100 KB payloads drawn here)
            assertThat(decoded).isInstanceOf(message.getClass()).usingRecursiveComparison()
                    .withEqualsForType(Arrays::equals, byte[].class).isEqualTo(message);
        } else {
            assertThat(decoded).isEqualTo(message);
        }
    }

    private static ByteBuf encode(RaftMessage message) {
        ByteBuf buffer = Unpooled.buffer();
        MessageCodec.encode(message, buffer);
        return buffer;
    }

    private static List<RaftMessage> samples() {
        List<LogEntry> entries = List.of(
                new LogEntry(11, 3, EntryType.NOOP, new byte[0]),
                new LogEntry(12, 3, EntryType.COMMAND, new byte[] {1, 2, 3}),
                new LogEntry(13, 4, EntryType.CONFIGURATION, new byte[] {-1, 0, 127}));
        return Stream.of(
                new VoteRequest("node-1", "node-2", 7, 100, 6, true, false),
                new VoteRequest("node-1", "node-2", 7, 100, 6, false, true),
                new VoteResponse("n2", "n1", 7, true, true),
                new VoteResponse("n2", "n1", 7, false, false),
                new AppendEntriesRequest("n1", "n2", 8, 10, 3, List.of(), 9, 55),
                new AppendEntriesRequest("n1", "n2", 8, 10, 3, entries, 9, 56),
                new AppendEntriesResponse("n2", "n1", 8, true, 13, 0, 0, 56),
                new AppendEntriesResponse("n2", "n1", 8, false, 0, 4, 2, -1),
                new InstallSnapshotRequest("n1", "n2", 9, 500, 8, new byte[] {5, 6}, 0, new byte[0], false),
                new InstallSnapshotRequest("n1", "n2", 9, 500, 8, new byte[0], 4096, new byte[] {1}, true),
                new InstallSnapshotResponse("n2", "n1", 9, 500, 4097, true),
                new InstallSnapshotResponse("n2", "n1", 9, 500, 0, false),
                new TimeoutNowRequest("ñode-1", "節点-2", Long.MAX_VALUE),
                new ProposeRequest("n2", "n1", 8, Long.MAX_VALUE, "", 0, new byte[] {1, 2}),
                new ProposeRequest("n2", "n1", 8, 5, "client-ñ", 42, new byte[0]),
                new ProposeResponse("n1", "n2", 8, 5, ProposeResponse.Outcome.APPLIED, 13, 8, new byte[] {7}, ""),
                new ProposeResponse("n1", "n2", 9, 6, ProposeResponse.Outcome.REFUSED, 0, 0, new byte[0], "n3"))
                .map(RaftMessage.class::cast)
                .toList();
    }

    private static RaftMessage randomMessage(Random random) {
        String from = "n" + random.nextInt(1000);
        String to = random.nextBoolean() ? "" : "peer-" + random.nextInt();
        long term = randomLong(random);
        return switch (random.nextInt(9)) {
            case 0 -> new VoteRequest(from, to, term, randomLong(random), randomLong(random), random.nextBoolean(),
                    random.nextBoolean());
            case 1 -> new VoteResponse(from, to, term, random.nextBoolean(), random.nextBoolean());
            case 2 -> {
                List<LogEntry> entries = new ArrayList<>();
                int count = random.nextInt(4) == 0 ? 0 : random.nextInt(50);
                for (int i = 0; i < count; i++) {
                    entries.add(new LogEntry(1 + Math.abs(random.nextLong() >>> 1), Math.abs(random.nextLong() >>> 2),
                            EntryType.fromCode(random.nextInt(3)), randomBytes(random)));
                }
                yield new AppendEntriesRequest(from, to, term, randomLong(random), randomLong(random), entries,
                        randomLong(random), random.nextLong());
            }
            case 3 -> new AppendEntriesResponse(from, to, term, random.nextBoolean(), randomLong(random),
                    randomLong(random), randomLong(random), random.nextLong());
            case 4 -> new InstallSnapshotRequest(from, to, term, randomLong(random), randomLong(random),
                    randomBytes(random), randomLong(random), randomBytes(random), random.nextBoolean());
            case 5 -> new InstallSnapshotResponse(from, to, term, randomLong(random), randomLong(random),
                    random.nextBoolean());
            case 6 -> new ProposeRequest(from, to, term, randomLong(random), random.nextBoolean() ? "" : "c" + random.nextInt(),
                    1 + (randomLong(random) >>> 1), randomBytes(random));
            case 7 -> new ProposeResponse(from, to, term, randomLong(random),
                    ProposeResponse.Outcome.fromCode(random.nextInt(4)), randomLong(random), randomLong(random),
                    randomBytes(random), random.nextBoolean() ? "" : "n" + random.nextInt(9));
            default -> new TimeoutNowRequest(from, to, term);
        };
    }

    private static long randomLong(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> random.nextInt(200);
            case 1 -> random.nextLong() >>> 1;
            default -> random.nextLong();
        };
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(8) == 0 ? random.nextInt(100_000) : random.nextInt(40)];
        random.nextBytes(bytes);
        return bytes;
    }
}

package io.flotilla.raft.transport.netty;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of {@link NettyTransport}.
 *
 * @param maxFrameBytes          largest frame sent or accepted; a bigger incoming one closes the connection
 * @param writeBufferLowMark     bytes queued to a peer below which its connection takes messages again
 * @param writeBufferHighMark    bytes queued to a peer above which further messages to it are dropped
 * @param connectTimeout         how long one connection attempt may take
 * @param reconnectBackoffMin    wait after the first failed attempt; doubles per failure
 * @param reconnectBackoffMax    longest wait between attempts
 * @param ioThreads              event-loop threads shared by all connections
 * @param tls                    mutual TLS on every connection, or null for plain TCP
 */
public record NettyTransportOptions(int maxFrameBytes, int writeBufferLowMark, int writeBufferHighMark,
                                    Duration connectTimeout, Duration reconnectBackoffMin,
                                    Duration reconnectBackoffMax, int ioThreads, NettyTransportTls tls) {

    public NettyTransportOptions {
        if (maxFrameBytes < 64) {
            throw new IllegalArgumentException("maxFrameBytes too small: " + maxFrameBytes);
        }
        if (writeBufferLowMark < 0 || writeBufferHighMark < writeBufferLowMark) {
            throw new IllegalArgumentException("need 0 <= writeBufferLowMark <= writeBufferHighMark");
        }
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(reconnectBackoffMin, "reconnectBackoffMin");
        Objects.requireNonNull(reconnectBackoffMax, "reconnectBackoffMax");
        if (reconnectBackoffMax.compareTo(reconnectBackoffMin) < 0) {
            throw new IllegalArgumentException("reconnectBackoffMax must be >= reconnectBackoffMin");
        }
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads must be >= 1");
        }
    }

    /** 16 MiB frames, 1-4 MiB write buffer per peer, back-off 50 ms to 2 s, two I/O threads, plain TCP. */
    public static NettyTransportOptions defaults() {
        return new NettyTransportOptions(16 * 1024 * 1024, 1024 * 1024, 4 * 1024 * 1024, Duration.ofSeconds(1),
                Duration.ofMillis(50), Duration.ofSeconds(2), 2, null);
    }

    public NettyTransportOptions withMaxFrameBytes(int bytes) {
        return new NettyTransportOptions(bytes, writeBufferLowMark, writeBufferHighMark, connectTimeout,
                reconnectBackoffMin, reconnectBackoffMax, ioThreads, tls);
    }

    public NettyTransportOptions withWriteBuffer(int lowMark, int highMark) {
        return new NettyTransportOptions(maxFrameBytes, lowMark, highMark, connectTimeout, reconnectBackoffMin,
                reconnectBackoffMax, ioThreads, tls);
    }

    public NettyTransportOptions withReconnectBackoff(Duration min, Duration max) {
        return new NettyTransportOptions(maxFrameBytes, writeBufferLowMark, writeBufferHighMark, connectTimeout, min,
                max, ioThreads, tls);
    }

    /** Every connection, inbound and outbound, over mutual TLS; null for plain TCP. */
    public NettyTransportOptions withTls(NettyTransportTls transportTls) {
        return new NettyTransportOptions(maxFrameBytes, writeBufferLowMark, writeBufferHighMark, connectTimeout,
                reconnectBackoffMin, reconnectBackoffMax, ioThreads, transportTls);
    }
}

package io.flotilla.raft.transport.netty;

import io.flotilla.raft.rpc.RaftMessage;
import io.flotilla.raft.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * {@link Transport} over TCP: frames of a 4-byte big-endian length followed by a {@link MessageCodec}
 * body. Each node listens on its own address and opens one outbound connection per peer, lazily on the
 * first message to it; inbound and outbound traffic therefore use different connections. Outbound connections
 * leave from the host the node listens on (unless that is a wildcard), so peers and firewalls see the node's own
 * address.
 *
 * <p>{@link #send} never blocks: it encodes on the caller's thread and hands the frame to the peer's
 * event loop. A message is dropped (and counted in {@link #droppedMessages()}) when the peer is unknown,
 * not connected yet, or has more than the high water mark of bytes queued, so a slow or dead peer cannot
 * exhaust memory. A failed connection is retried on a later send after a back-off that doubles up to a
 * maximum. Flushes are coalesced by Netty's {@link FlushConsolidationHandler}: frames handed over while
 * the event loop is busy go out with one flush, so a burst of sends does not cost a syscall each.
 *
 * <p>With {@link NettyTransportOptions#tls()} every connection is mutual TLS: a peer that presents no certificate,
 * or one the trust store does not accept, is refused at the handshake, and an outbound connection counts as
 * connected only once its handshake succeeded (until then, and after a failed one, messages are dropped and the
 * connection is retried after the usual back-off).
 */
public final class NettyTransport implements Transport {

    private static final Logger log = LoggerFactory.getLogger(NettyTransport.class);

    private final String localId;
    private final String bindAddress;
    private final NettyTransportOptions options;
    private final AtomicLong dropped = new AtomicLong();
    private final Object lifecycle = new Object();
    private volatile Map<String, Peer> peers;
    private volatile boolean closed;
    private EventLoopGroup acceptGroup;
    private EventLoopGroup ioGroup;
    private volatile Bootstrap clientBootstrap;
    private Channel serverChannel;
    /**
     * Connections peers opened to us. Closed explicitly on {@link #close()}: leaving one open would keep the
     * peer's outbound channel looking healthy, so after a restart on the same port it would write into a
     * socket nobody reads and never reconnect to the new listener.
     */
    private ChannelGroup acceptedChannels;
    /** Every thread the event loop groups started, joined on close. */
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    /**
     * @param localId     this node's id; inbound messages addressed to another id are dropped
     * @param bindAddress {@code host:port} to listen on (port 0 picks a free one, see {@link #localAddress()})
     * @param peers       address book {@code nodeId -> host:port}
     */
    public NettyTransport(String localId, String bindAddress, Map<String, String> peers) {
        this(localId, bindAddress, peers, NettyTransportOptions.defaults());
    }

    public NettyTransport(String localId, String bindAddress, Map<String, String> peers,
                          NettyTransportOptions options) {
        this.localId = Objects.requireNonNull(localId, "localId");
        this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
        this.options = Objects.requireNonNull(options, "options");
        HostPort.parse(bindAddress);
        this.peers = Map.of();
        updatePeers(peers);
    }

    @Override
    public void start(Consumer<RaftMessage> inbound) {
        Objects.requireNonNull(inbound, "inbound");
        synchronized (lifecycle) {
            if (closed || serverChannel != null) {
                throw new IllegalStateException("transport of " + localId + " is already started or closed");
            }
            String threadPrefix = "flotilla-raft-netty-" + localId;
            acceptGroup = new MultiThreadIoEventLoopGroup(1, new RecordingThreadFactory(threadPrefix + "-accept"),
                    NioIoHandler.newFactory());
            ioGroup = new MultiThreadIoEventLoopGroup(options.ioThreads(),
                    new RecordingThreadFactory(threadPrefix + "-io"), NioIoHandler.newFactory());
            acceptedChannels = new DefaultChannelGroup("raft-inbound-" + localId, GlobalEventExecutor.INSTANCE);
            ChannelGroup accepted = acceptedChannels;
            ServerBootstrap server = new ServerBootstrap()
                    .group(acceptGroup, ioGroup)
                    .channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            accepted.add(channel);
                            if (options.tls() != null) {
                                channel.pipeline().addLast(inboundTls(channel));
                            }
                            channel.pipeline().addLast(
                                    new LengthFieldBasedFrameDecoder(options.maxFrameBytes(), 0, 4, 0, 4),
                                    new InboundMessageHandler(inbound));
                        }
                    });
            HostPort address = HostPort.parse(bindAddress);
            ChannelFuture bound = server.bind(address.host(), address.port()).awaitUninterruptibly();
            if (!bound.isSuccess()) {
                shutDownGroups();
                throw new IllegalStateException("cannot listen for Raft traffic on " + bindAddress, bound.cause());
            }
            serverChannel = bound.channel();
            InetSocketAddress listening = (InetSocketAddress) serverChannel.localAddress();
            clientBootstrap = clientBootstrap(outboundSource(listening));
            log.info("Raft transport of {} listening on {}{}", localId, listening,
                    options.tls() != null ? " (mutual TLS)" : "");
        }
    }

    /**
     * Outbound connections leave from the address the server listens on, so a peer (and any firewall between the
     * two) sees this node's own address rather than whatever source the kernel picks for the route (on Linux,
     * 127.0.0.1 for every 127.x destination). A wildcard listener names no single address: the kernel chooses.
     */
    private static InetSocketAddress outboundSource(InetSocketAddress listening) {
        return listening.getAddress().isAnyLocalAddress() ? null : new InetSocketAddress(listening.getAddress(), 0);
    }

    /** Without a handler: each connection gets its own ({@link OutboundInitializer}), which knows the peer's host. */
    private Bootstrap clientBootstrap(InetSocketAddress source) {
        WriteBufferWaterMark waterMark = new WriteBufferWaterMark(options.writeBufferLowMark(),
                options.writeBufferHighMark());
        Bootstrap bootstrap = new Bootstrap()
                .group(ioGroup)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(options.connectTimeout().toMillis()));
        // Port 0: an ephemeral port per connection, as an unbound socket would get.
        return source == null ? bootstrap : bootstrap.localAddress(source);
    }

    /** The server side of a peer's connection; a failed handshake is logged: a misconfigured peer, or an intruder. */
    private SslHandler inboundTls(SocketChannel channel) {
        SslHandler handler = options.tls().server().newHandler(channel.alloc());
        handler.handshakeFuture().addListener(handshake -> {
            if (!handshake.isSuccess()) {
                log.warn("Raft transport of {}: TLS handshake failed with {}, connection closed ({})", localId,
                        channel.remoteAddress(), rootMessage(handshake.cause()));
            }
        });
        return handler;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** The address the server is bound to (with the actual port when 0 was asked for). */
    public InetSocketAddress localAddress() {
        synchronized (lifecycle) {
            if (serverChannel == null) {
                throw new IllegalStateException("transport of " + localId + " is not started");
            }
            return (InetSocketAddress) serverChannel.localAddress();
        }
    }

    @Override
    public void send(RaftMessage message) {
        Peer peer = peers.get(message.to());
        if (peer == null || closed || clientBootstrap == null) {
            dropped.incrementAndGet();
            return;
        }
        peer.send(message);
    }

    @Override
    public void updatePeers(Map<String, String> addresses) {
        synchronized (lifecycle) {
            Map<String, Peer> next = new HashMap<>();
            addresses.forEach((id, address) -> {
                HostPort.parse(address);
                Peer current = peers.get(id);
                next.put(id, current != null && current.address.equals(address) ? current : new Peer(id, address));
            });
            peers.forEach((id, peer) -> {
                if (next.get(id) != peer) {
                    peer.retire();
                }
            });
            peers = Map.copyOf(next);
        }
    }

    /** Messages dropped so far because their peer was unknown, unreachable or too slow. */
    public long droppedMessages() {
        return dropped.get();
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            peers.values().forEach(Peer::retire);
            if (serverChannel != null) {
                serverChannel.close().awaitUninterruptibly();
            }
            if (acceptedChannels != null) {
                acceptedChannels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
            shutDownGroups();
        }
    }

    private void shutDownGroups() {
        for (EventLoopGroup group : new EventLoopGroup[] {acceptGroup, ioGroup}) {
            if (group != null) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
        }
        for (EventLoopGroup group : new EventLoopGroup[] {acceptGroup, ioGroup}) {
            if (group != null && !group.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS)) {
                log.warn("Raft transport of {}: event loop did not stop within 5 s", localId);
            }
        }
        // The termination future completes from inside each loop thread just before it exits; join them so
        // that close() really leaves no thread behind (a node restarted in-process must not race its ghost).
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private ByteBuf encodeFrame(ByteBufAllocator allocator, RaftMessage message) {
        ByteBuf frame = allocator.buffer();
        try {
            frame.writeInt(0);
            MessageCodec.encode(message, frame);
            frame.setInt(0, frame.readableBytes() - 4);
            return frame;
        } catch (RuntimeException e) {
            frame.release();
            throw e;
        }
    }

    /** One peer's outbound connection: connected lazily, reconnected after a back-off, writes coalesced. */
    private final class Peer {
        private final String id;
        private final String address;
        private volatile Channel channel;
        private boolean connecting;
        private boolean retired;
        private long nextAttemptNanos;
        private long backoffNanos = options.reconnectBackoffMin().toNanos();
        /** Whether a failed handshake with this peer was logged at WARN since the last success. */
        private boolean handshakeFailureLogged;

        Peer(String id, String address) {
            this.id = id;
            this.address = address;
        }

        void send(RaftMessage message) {
            Channel current = channel;
            if (current == null || !current.isActive()) {
                connectIfDue();
                dropped.incrementAndGet();
                return;
            }
            if (!current.isWritable()) {
                dropped.incrementAndGet();
                return;
            }
            ByteBuf frame = encodeFrame(current.alloc(), message);
            if (frame.readableBytes() - 4 > options.maxFrameBytes()) {
                frame.release();
                dropped.incrementAndGet();
                log.warn("Dropping {} to {}: {} bytes exceed the {}-byte frame limit", message.getClass().getSimpleName(),
                        id, frame.readableBytes() - 4, options.maxFrameBytes());
                return;
            }
            current.writeAndFlush(frame, current.voidPromise());
        }

        private synchronized void connectIfDue() {
            long now = System.nanoTime();
            if (connecting || retired || now - nextAttemptNanos < 0) {
                return;
            }
            connecting = true;
            HostPort target = HostPort.parse(address);
            clientBootstrap.clone().handler(new OutboundInitializer(this, target)).connect(target.host(), target.port())
                    .addListener((ChannelFuture future) -> {
                        if (!future.isSuccess()) {
                            failed(future.cause());
                            return;
                        }
                        SslHandler tls = future.channel().pipeline().get(SslHandler.class);
                        if (tls == null) {
                            connected(future.channel());
                            return;
                        }
                        tls.handshakeFuture().addListener(handshake -> {
                            if (handshake.isSuccess()) {
                                connected(future.channel());
                            } else {
                                handshakeFailed(handshake.cause());
                            }
                        });
                    });
        }

        private synchronized void connected(Channel established) {
            connecting = false;
            if (retired) {
                established.close();
                return;
            }
            log.debug("Raft transport of {} connected to {} at {}", localId, id, address);
            channel = established;
            established.closeFuture().addListener(closedFuture -> disconnected(established));
            if (options.tls() == null) {
                backoffNanos = options.reconnectBackoffMin().toNanos();
                return;
            }
            // Over TLS the back-off starts over only once the connection has lasted: TLS 1.3 reports a certificate
            // the peer refused after our side of the handshake is done, and such a peer must not be redialled at
            // the shortest back-off forever.
            established.eventLoop().schedule(() -> lasted(established), options.reconnectBackoffMax().toNanos(),
                    TimeUnit.NANOSECONDS);
        }

        private synchronized void lasted(Channel established) {
            if (channel == established && established.isActive()) {
                backoffNanos = options.reconnectBackoffMin().toNanos();
                handshakeFailureLogged = false;
            }
        }

        private synchronized void failed(Throwable cause) {
            connecting = false;
            nextAttemptNanos = System.nanoTime() + backoffNanos;
            log.debug("Raft transport of {} cannot reach {} at {} (next attempt in {} ms): {}", localId, id, address,
                    TimeUnit.NANOSECONDS.toMillis(backoffNanos), cause.toString());
            backoffNanos = Math.min(backoffNanos * 2, options.reconnectBackoffMax().toNanos());
        }

        /** A TLS handshake that failed will fail again until someone changes a certificate: WARN once, then back off quietly. */
        synchronized void handshakeFailed(Throwable cause) {
            if (!handshakeFailureLogged && !retired) {
                handshakeFailureLogged = true;
                log.warn("Raft transport of {} cannot reach {} at {}: TLS handshake failed ({}); retrying quietly",
                        localId, id, address, rootMessage(cause));
            }
            failed(cause);
        }

        private synchronized void disconnected(Channel lost) {
            if (channel == lost) {
                channel = null;
                log.debug("Raft transport of {} lost its connection to {}", localId, id);
            }
        }

        synchronized void retire() {
            retired = true;
            Channel current = channel;
            if (current != null) {
                current.close();
            }
        }
    }

    /** The pipeline of a connection to one peer: TLS (checking the peer's certificate names its host), then coalesced flushes. */
    private final class OutboundInitializer extends ChannelInitializer<SocketChannel> {
        private final Peer peer;
        private final HostPort target;

        OutboundInitializer(Peer peer, HostPort target) {
            this.peer = peer;
            this.target = target;
        }

        @Override
        protected void initChannel(SocketChannel channel) {
            if (options.tls() != null) {
                channel.pipeline().addLast(options.tls().client().newHandler(channel.alloc(), target.host(),
                        target.port()));
            }
            // Flushes requested while the loop is busy coalesce into one syscall per tick.
            channel.pipeline().addLast(new FlushConsolidationHandler(256, true), new OutboundConnectionHandler(peer));
        }
    }

    /** Decodes frames from a peer; a frame that cannot be decoded closes the connection. */
    private final class InboundMessageHandler extends SimpleChannelInboundHandler<ByteBuf> {
        private final Consumer<RaftMessage> inbound;

        InboundMessageHandler(Consumer<RaftMessage> inbound) {
            this.inbound = inbound;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            RaftMessage message;
            try {
                message = MessageCodec.decode(frame);
            } catch (UnsupportedProtocolVersionException e) {
                log.warn("Closing Raft connection from {} to {}: {}", ctx.channel().remoteAddress(), localId,
                        e.getMessage());
                ctx.close();
                return;
            } catch (RuntimeException e) {
                log.warn("Closing Raft connection from {} to {}: undecodable frame ({})",
                        ctx.channel().remoteAddress(), localId, e.getMessage());
                ctx.close();
                return;
            }
            if (!localId.equals(message.to())) {
                dropped.incrementAndGet();
                log.debug("Raft transport of {} dropped a message addressed to {}", localId, message.to());
                return;
            }
            try {
                inbound.accept(message);
            } catch (RuntimeException e) {
                log.error("Raft transport of {}: inbound handler failed on a message from {}", localId,
                        message.from(), e);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof TooLongFrameException) {
                log.warn("Closing Raft connection from {} to {}: {}", ctx.channel().remoteAddress(), localId,
                        cause.getMessage());
            } else {
                log.debug("Closing Raft connection from {} to {}", ctx.channel().remoteAddress(), localId, cause);
            }
            ctx.close();
        }
    }

    /**
     * Outbound connections carry nothing back; anything that arrives is discarded. A TLS alert after our side of the
     * handshake completed (the peer refused our certificate) counts as a failed handshake with that peer.
     */
    private final class OutboundConnectionHandler extends ChannelInboundHandlerAdapter {
        private final Peer peer;

        OutboundConnectionHandler(Peer peer) {
            this.peer = peer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            ReferenceCountUtil.release(message);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
            if (tls != null && tls.handshakeFuture().isSuccess() && causedBy(cause, SSLException.class)) {
                peer.handshakeFailed(cause);
            } else {
                log.debug("Closing Raft connection from {} to {}", localId, ctx.channel().remoteAddress(), cause);
            }
            ctx.close();
        }
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /** {@code host:port}, with IPv6 hosts in brackets. */
    record HostPort(String host, int port) {
        static HostPort parse(String address) {
            int colon = address.lastIndexOf(':');
            if (colon <= 0 || colon == address.length() - 1) {
                throw new IllegalArgumentException("address must be host:port, got '" + address + "'");
            }
            String host = address.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            try {
                int port = Integer.parseInt(address.substring(colon + 1));
                if (port < 0 || port > 65535) {
                    throw new IllegalArgumentException("port out of range in '" + address + "'");
                }
                return new HostPort(host, port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("address must be host:port, got '" + address + "'", e);
            }
        }
    }

    /** Netty's daemon thread factory, remembering what it made so {@link #close()} can join it. */
    private final class RecordingThreadFactory extends DefaultThreadFactory {

        RecordingThreadFactory(String poolName) {
            super(poolName, true);
        }

        @Override
        protected Thread newThread(Runnable task, String name) {
            Thread thread = super.newThread(task, name);
            threads.add(thread);
            return thread;
        }
    }
}

package io.flotilla.raft.transport.netty;

import io.netty.handler.codec.DecoderException;

/** A frame from a peer that speaks another version of the Raft wire protocol. */
public class UnsupportedProtocolVersionException extends DecoderException {

    public UnsupportedProtocolVersionException(int version) {
        super("unsupported protocol version " + version + " (this node speaks " + MessageCodec.VERSION + ")");
    }
}

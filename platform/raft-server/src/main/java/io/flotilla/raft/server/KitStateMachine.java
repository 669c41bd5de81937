package io.flotilla.raft.server;

import io.flotilla.raft.StateMachine;
import io.flotilla.raft.codec.BinaryReader;
import io.flotilla.raft.codec.BinaryWriter;
import io.flotilla.raft.codec.MalformedMessageException;

import java.net.URI;
import java.util.Map;

/**
 * Wraps a service's state machine with the kit's own replicated state, the {@link MemberDirectory}. Kit commands
 * and kit snapshots start with {@link #KIT_TAG}, a byte no service codec starts with (theirs start with a small
 * format version); everything else goes to the service unchanged. A snapshot without the tag (written before the
 * kit had state) restores the service alone, so data directories of earlier releases still start.
 */
final class KitStateMachine implements StateMachine {

    static final byte KIT_TAG = (byte) 0xFE;
    private static final int PUBLISH_URL = 1;
    private static final int SNAPSHOT_VERSION = 1;
    private static final byte[] NO_RESULT = new byte[0];

    private final StateMachine service;
    private final MemberDirectory directory;

    KitStateMachine(StateMachine service, MemberDirectory directory) {
        this.service = service;
        this.directory = directory;
    }

    /** The command that records {@code url} as the HTTP address {@code memberId} published. */
    static byte[] publishUrl(String memberId, String url) {
        return new BinaryWriter().writeByte(KIT_TAG).writeByte(PUBLISH_URL).writeString(memberId).writeString(url)
                .toByteArray();
    }

    /**
     * Checks an HTTP base URL a member publishes: absolute http(s), a host and a port, no path, query or user info.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static String checkedUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("url is required, e.g. http://10.0.0.1:8500");
        }
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("url '" + url + "' is not a URI");
        }
        boolean http = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
        boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null
                && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        if (!http || uri.getHost() == null || uri.getPort() < 1 || !bare) {
            throw new IllegalArgumentException("url must be http(s)://host:port with nothing after the port, got '"
                    + url + "'");
        }
        return uri.toString();
    }

    @Override
    public byte[] apply(long index, byte[] command) {
        if (command.length == 0 || command[0] != KIT_TAG) {
            return service.apply(index, command);
        }
        BinaryReader in = new BinaryReader(command);
        in.readByte();
        int type = in.readByte();
        if (type != PUBLISH_URL) {
            throw new MalformedMessageException("unknown kit command " + type);
        }
        String memberId = in.readString();
        String url = in.readString();
        in.expectEnd();
        directory.publish(memberId, url);
        return NO_RESULT;
    }

    @Override
    public byte[] query(byte[] query) {
        return service.query(query);
    }

    @Override
    public byte[] snapshot() {
        return new BinaryWriter().writeByte(KIT_TAG).writeByte(SNAPSHOT_VERSION)
                .writeStringMap(directory.urls()).writeBytes(service.snapshot()).toByteArray();
    }

    @Override
    public void restore(byte[] snapshot) {
        if (snapshot.length == 0 || snapshot[0] != KIT_TAG) {
            directory.replace(Map.of());
            service.restore(snapshot);
            return;
        }
        BinaryReader in = new BinaryReader(snapshot);
        in.readByte();
        int version = in.readByte();
        if (version != SNAPSHOT_VERSION) {
            throw new MalformedMessageException("unsupported kit snapshot version " + version);
        }
        Map<String, String> urls = in.readStringMap();
        byte[] serviceSnapshot = in.readBytes();
        in.expectEnd();
        directory.replace(urls);
        service.restore(serviceSnapshot);
    }
}

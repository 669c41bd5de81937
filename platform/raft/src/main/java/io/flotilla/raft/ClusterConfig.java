package io.flotilla.raft;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The voting members of a cluster. Membership changes one server at a time, so any two successive
 * configurations have overlapping majorities and no joint consensus is needed.
 */
public record ClusterConfig(List<Member> members) {

    /** A voting member: its id and its Raft address ({@code host:port}). */
    public record Member(String id, String address) {
        public Member {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(address, "address");
            if (id.isBlank()) {
                throw new IllegalArgumentException("member id must not be blank");
            }
        }
    }

    public ClusterConfig {
        members = members.stream().sorted(Comparator.comparing(Member::id)).toList();
        if (members.stream().map(Member::id).distinct().count() != members.size()) {
            throw new IllegalArgumentException("duplicate member id in " + members);
        }
    }

    public boolean contains(String id) {
        return member(id).isPresent();
    }

    public Optional<Member> member(String id) {
        return members.stream().filter(m -> m.id().equals(id)).findFirst();
    }

    public int quorum() {
        return members.size() / 2 + 1;
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(members.size());
            for (Member member : members) {
                out.writeUTF(member.id());
                out.writeUTF(member.address());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static ClusterConfig decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(encoded))) {
            int count = in.readInt();
            if (count < 0 || count > 1024) {
                throw new IllegalArgumentException("corrupt cluster configuration: " + count + " members");
            }
            List<Member> members = new java.util.ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                members.add(new Member(in.readUTF(), in.readUTF()));
            }
            return new ClusterConfig(members);
        } catch (IOException e) {
            throw new IllegalArgumentException("corrupt cluster configuration", e);
        }
    }
}

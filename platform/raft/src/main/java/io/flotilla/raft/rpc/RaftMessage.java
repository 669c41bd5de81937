package io.flotilla.raft.rpc;

/**
 * A node-to-node message. Every message names its sender, its addressee and the sender's term, so a
 * receiver can step down on a higher term before looking at anything else.
 *
 * <p>The set is closed: the wire codec and the simulator switch over it exhaustively, so adding a message
 * type fails to compile until both handle it.
 */
public sealed interface RaftMessage
        permits VoteRequest, VoteResponse, AppendEntriesRequest, AppendEntriesResponse,
                InstallSnapshotRequest, InstallSnapshotResponse, TimeoutNowRequest,
                ProposeRequest, ProposeResponse {

    String from();

    String to();

    long term();
}

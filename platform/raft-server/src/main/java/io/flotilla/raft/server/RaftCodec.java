package io.flotilla.raft.server;

import java.util.function.Function;

/**
 * How a service's typed commands, results, queries and answers become the bytes its state machine reads and
 * writes; {@link RaftLog} uses it.
 */
public interface RaftCodec<C, R, Q, A> {

    byte[] encodeCommand(C command);

    R decodeResult(byte[] result);

    byte[] encodeQuery(Q query);

    A decodeAnswer(byte[] answer);

    /** A codec from four functions, typically a service codec's static methods. */
    static <C, R, Q, A> RaftCodec<C, R, Q, A> of(Function<C, byte[]> encodeCommand, Function<byte[], R> decodeResult,
                                                 Function<Q, byte[]> encodeQuery, Function<byte[], A> decodeAnswer) {
        return new RaftCodec<>() {
            @Override
            public byte[] encodeCommand(C command) {
                return encodeCommand.apply(command);
            }

            @Override
            public R decodeResult(byte[] result) {
                return decodeResult.apply(result);
            }

            @Override
            public byte[] encodeQuery(Q query) {
                return encodeQuery.apply(query);
            }

            @Override
            public A decodeAnswer(byte[] answer) {
                return decodeAnswer.apply(answer);
            }
        };
    }
}

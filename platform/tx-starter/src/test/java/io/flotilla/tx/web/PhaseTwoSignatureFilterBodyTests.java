package io.flotilla.tx.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How the signature filter reads a phase-two body before checking its signature. */
class PhaseTwoSignatureFilterBodyTests {

    private static final byte[] BODY = "{\"xid\":\"x-1\",\"branchId\":7}".getBytes(StandardCharsets.UTF_8);

    @Test
    void aBodyOfDeclaredLengthIsReadToThatLengthIntoAnArrayOfItsSize() throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(BODY);

        byte[] read = PhaseTwoSignatureFilter.readAtMost(in, 10, PhaseTwoSignatureFilter.MAX_BATCH_BODY_BYTES);

        assertThat(read).isEqualTo(Arrays.copyOf(BODY, 10));
        assertThat(in.available()).as("nothing read past the declared length").isEqualTo(BODY.length - 10);
    }

    @Test
    void aBodyOfUnknownLengthIsReadWholeUpToTheLimitAndRefusedPastIt() throws IOException {
        assertThat(PhaseTwoSignatureFilter.readAtMost(new ByteArrayInputStream(BODY), -1, BODY.length))
            .isEqualTo(BODY);
        assertThat(PhaseTwoSignatureFilter.readAtMost(new ByteArrayInputStream(BODY), -1, BODY.length - 1)).isNull();
    }

    @Test
    void aDeclaredLengthOverTheLimitIsNotTrustedToBoundTheRead() throws IOException {
        assertThat(PhaseTwoSignatureFilter.readAtMost(new ByteArrayInputStream(BODY), BODY.length, BODY.length - 1))
            .isNull();
    }
}

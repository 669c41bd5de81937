package io.flotilla.id.core;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class IdLayoutTests {

    @Test
    void standardLayoutLastsSixtyNineYears() {
        IdLayout layout = IdLayout.standard(Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(layout.exhaustedAt()).isEqualTo(Instant.parse("2094-09-07T15:47:35.552Z"));
        assertThat(layout.maxSequence()).isEqualTo(4095);
        assertThat(layout.maxWorkerId()).isEqualTo(31);
        assertThat(layout.maxDatacenterId()).isEqualTo(31);
    }

    @Test
    void widthsMustSumToSixtyThree() {
        assertThatIllegalArgumentException().isThrownBy(() -> new IdLayout(0, 41, 5, 5, 13))
            .withMessage("Snowflake bit layout must use exactly 63 bits (the sign bit stays unused), but timestamp 41"
                    + " + datacenter id 5 + worker id 5 + sequence 13 = 64");
        assertThatIllegalArgumentException().isThrownBy(() -> new IdLayout(0, 40, 5, 5, 12))
            .withMessageContaining("= 62");
    }

    @Test
    void eachWidthIsBounded() {
        assertThatIllegalArgumentException().isThrownBy(() -> new IdLayout(0, 63, 0, 0, 0))
            .withMessage("Snowflake timestamp field must be 1..62 bits wide, got 63");
        assertThatIllegalArgumentException().isThrownBy(() -> new IdLayout(0, 41, -1, 11, 12))
            .withMessage("Snowflake datacenter id field must be 0..31 bits wide, got -1");
        assertThatIllegalArgumentException().isThrownBy(() -> new IdLayout(0, 51, 6, 6, 0))
            .withMessage("Snowflake sequence field must be 1..31 bits wide, got 0");
        assertThatIllegalArgumentException().isThrownBy(() -> new IdLayout(-1, 41, 5, 5, 12))
            .withMessageContaining("epoch must not be before 1970");
    }

    @Test
    void composeRejectsFieldsWiderThanTheLayout() {
        IdLayout layout = IdLayout.standard(Instant.EPOCH);
        assertThatIllegalArgumentException().isThrownBy(() -> layout.compose(1, 0, 32, 0))
            .withMessage("worker id 32 does not fit its field (0..31)");
        assertThatIllegalArgumentException().isThrownBy(() -> layout.compose(1, 0, 0, 4096))
            .withMessage("sequence 4096 does not fit its field (0..4095)");
    }

    @Test
    void largestIdIsPositiveAndDecomposes() {
        IdLayout layout = IdLayout.standard(Instant.EPOCH);
        long id = layout.compose(layout.maxTimestamp(), 31, 31, 4095);
        assertThat(id).isEqualTo(Long.MAX_VALUE);
        assertThat(layout.decompose(id)).isEqualTo(new IdParts(id, layout.maxTimestamp(), 31, 31, 4095));
        assertThatExceptionOfType(InvalidIdException.class).isThrownBy(() -> layout.decompose(-1));
    }
}

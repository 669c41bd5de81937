package io.flotilla.txcoordinator.state;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-written xid check accepts exactly what the documented pattern does. A failure prints its seed; put it in
 * {@code @Property(seed = "…")} to replay.
 */
class TxValidationTests {

    private static final Pattern DOCUMENTED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    @Property(tries = 2000)
    void xidCheckAgreesWithTheDocumentedPattern(@ForAll("xidLike") String candidate) {
        assertThat(TxValidation.isXid(candidate)).isEqualTo(DOCUMENTED.matcher(candidate).matches());
        assertThat(TxValidation.xid(candidate).isEmpty()).isEqualTo(DOCUMENTED.matcher(candidate).matches());
    }

    @Example
    void xidEdgesAreJudgedLikeThePattern() {
        assertThat(TxValidation.isXid("a".repeat(128))).isTrue();
        assertThat(TxValidation.isXid("a".repeat(129))).isFalse();
        assertThat(TxValidation.isXid("")).isFalse();
        assertThat(TxValidation.isXid(null)).isFalse();
        assertThat(TxValidation.isXid("-abc")).isFalse();
        assertThat(TxValidation.isXid("tx:1.2_3-4")).isTrue();
        assertThat(TxValidation.isXid("tx/1")).isFalse();
        assertThat(TxValidation.isXid("tx\u00e91")).isFalse();
        assertThat(TxValidation.xid("tx 1")).contains("xid must match [A-Za-z0-9][A-Za-z0-9._:-]{0,127}, got 'tx 1'");
    }

    @Example
    void aUrlIsJudgedTheSameWhetherOrNotItWasSeenBefore() {
        String valid = "http://127.0.0.1:18181/flotilla/tx/tcc/debit/confirm-" + System.nanoTime();
        assertThat(TxValidation.url("confirmUrl", valid)).isEmpty();
        assertThat(TxValidation.url("confirmUrl", valid)).as("remembered").isEmpty();
        for (String invalid : new String[] {"ftp://host/x", "/relative/path", "http://", "http://host:port/x y"}) {
            assertThat(TxValidation.url("cancelUrl", invalid)).as(invalid).isPresent();
            assertThat(TxValidation.url("cancelUrl", invalid)).as("%s again", invalid).isPresent()
                    .hasValueSatisfying(problem -> assertThat(problem).startsWith("cancelUrl "));
        }
    }

    @Example
    void theRememberedUrlsAreBoundedAndUrlsPastTheBoundAreStillChecked() {
        for (int i = 0; i <= TxValidation.MAX_REMEMBERED_URLS; i++) {
            assertThat(TxValidation.url("batchUrl", "http://participant-" + i + ".example:8080/batch")).isEmpty();
        }
        assertThat(TxValidation.rememberedUrls()).isLessThanOrEqualTo(TxValidation.MAX_REMEMBERED_URLS);
        assertThat(TxValidation.url("batchUrl", "http://past-the-bound.example/batch")).isEmpty();
        assertThat(TxValidation.url("batchUrl", "mailto:past-the-bound@example.com")).isPresent();
    }

    /** Mostly characters on either side of each allowed range, at lengths around the limit. */
    @Provide
    Arbitrary<String> xidLike() {
        return Arbitraries.strings()
                .withChars("aAzZ09._:-/@`[{ \u00e9\u0660")
                .withCharRange('\u0000', '\u007f')
                .ofMinLength(0).ofMaxLength(131);
    }
}

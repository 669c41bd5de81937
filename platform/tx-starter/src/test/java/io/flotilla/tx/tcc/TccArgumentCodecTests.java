package io.flotilla.tx.tcc;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

import static org.assertj.core.api.Assertions.assertThat;

/** What a try's fence row keeps of its arguments, and how confirm and cancel get them back. */
class TccArgumentCodecTests {

    private final JsonMapper json = JsonMapper.builder().build();

    private final TccArgumentCodec codec = new TccArgumentCodec(json);

    record Line(String sku, int quantity) {
    }

    enum Priority { LOW, HIGH }

    @SuppressWarnings("unused")
    void tryMethod(String account, long amount, Long optional, BigDecimal price, Instant at, Line line,
            List<Line> lines, Map<String, Integer> counts, Priority priority, double ratio, byte[] raw) {
    }

    private static final Object[] ARGUMENTS = {"acc-1", 42L, null, new BigDecimal("1.25"),
        Instant.parse("2026-12-07T05:00:00.123Z"), new Line("sku-9", 3), List.of(new Line("a", 1), new Line("b", 2)),
        Map.of("x", 1), Priority.HIGH, 0.25, new byte[] {1, 2, 3}};

    @Test
    void argumentsAreRecordedAsTheTreeOfEachArgumentWasWritten() {
        // The recording as it was made before it was written in one pass: rows written then must read the same.
        ArrayNode array = json.createArrayNode();
        for (Object argument : ARGUMENTS) {
            array.add(json.valueToTree(argument));
        }

        assertThat(codec.encode(ARGUMENTS)).isEqualTo(json.writeValueAsString(array));
    }

    @Test
    void recordedArgumentsComeBackAsTheTryMethodsParameterTypes() throws Exception {
        Method method = Arrays.stream(getClass().getDeclaredMethods())
            .filter(m -> m.getName().equals("tryMethod")).findFirst().orElseThrow();

        Object[] decoded = codec.decode(codec.encode(ARGUMENTS), method);

        assertThat(decoded).hasSize(ARGUMENTS.length);
        assertThat(Arrays.copyOf(decoded, 10)).containsExactly(Arrays.copyOf(ARGUMENTS, 10));
        assertThat((byte[]) decoded[10]).containsExactly(1, 2, 3);
        assertThat(codec.decode(null, method)).hasSize(ARGUMENTS.length).containsOnlyNulls();
        assertThat(codec.encode(new Object[0])).isEqualTo("[]");
    }

    @SuppressWarnings("unused")
    void transfer(BigDecimal amount, double rate, float share) {
    }

    @Test
    void decimalsComeBackExactlyWithTheirScale() throws Exception {
        Method method = getClass().getDeclaredMethod("transfer", BigDecimal.class, double.class, float.class);
        TccArgumentCodec defaults = new TccArgumentCodec();
        BigDecimal amount = new BigDecimal("12345678901234567.10");

        Object[] decoded = defaults.decode(defaults.encode(new Object[] {amount, 0.1, 0.25f}), method);

        assertThat(decoded[0]).isEqualTo(amount);
        assertThat(((BigDecimal) decoded[0]).scale()).isEqualTo(2);
        assertThat(decoded[1]).isEqualTo(0.1);
        assertThat(decoded[2]).isEqualTo(0.25f);
    }
}

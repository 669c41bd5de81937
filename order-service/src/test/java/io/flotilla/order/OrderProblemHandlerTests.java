package io.flotilla.order;

import java.time.Duration;

import io.flotilla.id.core.ClockMovedBackwardsException;
import io.flotilla.id.core.WorkerId;
import io.flotilla.id.core.WorkerLeaseLostException;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

class OrderProblemHandlerTests {

    private final OrderProblemHandler handler = new OrderProblemHandler();

    @Test
    void anOrderWithoutAWorkerLeaseIs503WithTheGeneratorsNextAttemptAsRetryAfter() {
        ResponseEntity<ProblemDetail> answer = handler
            .noOrderId(new WorkerLeaseLostException(new WorkerId(0, 3), Duration.ofMillis(1_500)));

        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("2");
        assertThat(answer.getBody().getTitle()).isEqualTo("Order ids unavailable");
        assertThat(answer.getBody().getDetail()).contains("nothing was recorded").doesNotContain("slot");
    }

    @Test
    void aClosedGeneratorOrAClockStepBackIs503Too() {
        assertThat(handler.noOrderId(new WorkerLeaseLostException(new WorkerId(0, 3))).getHeaders()
            .getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertThat(handler.noOrderId(new ClockMovedBackwardsException(40, 5)).getStatusCode().value()).isEqualTo(503);
    }
}

package io.flotilla.tx.message;

import io.flotilla.tx.api.MessageCheck;
import io.flotilla.tx.api.MessageCheckResult;
import io.flotilla.tx.api.MessageDelivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * The endpoints the coordinator calls for two-phase messages, behind the starter's phase-two signature filter:
 * {@code POST <prefix>/messages/producer/check} (the check-back, answered from the barrier table) and
 * {@code POST <prefix>/messages/{receiver}/receive} (a delivery). Any non-2xx answer makes the coordinator repeat
 * the call later, so a failing receiver is simply reported.
 */
@RestController
@RequestMapping("${flotilla.tx.participant.path-prefix:/flotilla/tx}/messages")
public class MessageEndpoints {

    private static final Logger log = LoggerFactory.getLogger(MessageEndpoints.class);
    private static final Pattern XID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern MESSAGE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,200}");

    private final MessageBarrier barrier;
    private final MessageDispatcher dispatcher;

    /** Either may be null: an application that only sends, or only receives. */
    public MessageEndpoints(MessageBarrier barrier, MessageDispatcher dispatcher) {
        this.barrier = barrier;
        this.dispatcher = dispatcher;
    }

    @PostMapping("/producer/check")
    public ResponseEntity<MessageCheckResult> check(@RequestBody MessageCheck check) {
        if (check == null || check.xid() == null || !XID.matcher(check.xid()).matches()) {
            throw new IllegalArgumentException("the body must be {\"xid\": \"…\"} with an xid of 1 to 128 "
                    + "characters of [A-Za-z0-9._:-]");
        }
        if (barrier == null) {
            return ResponseEntity.notFound().build();
        }
        return ResponseEntity.ok(new MessageCheckResult(check.xid(), barrier.settle(check.xid())));
    }

    @PostMapping("/{receiver}/receive")
    public ResponseEntity<Map<String, String>> receive(@PathVariable String receiver,
                                                       @RequestBody MessageDelivery delivery) {
        if (delivery == null || delivery.messageId() == null || !MESSAGE_ID.matcher(delivery.messageId()).matches()
                || delivery.payload() == null) {
            throw new IllegalArgumentException("the body must be a message delivery with a messageId of 1 to 200 "
                    + "characters of [A-Za-z0-9._:-] and a payload");
        }
        if (dispatcher == null) {
            throw new UnknownMessageReceiverException(receiver);
        }
        MessageDispatcher.Outcome outcome = dispatcher.dispatch(receiver, delivery);
        return ResponseEntity.ok(Map.of("messageId", delivery.messageId(),
                "outcome", outcome == MessageDispatcher.Outcome.DONE ? "done" : "duplicate"));
    }

    @ExceptionHandler(UnknownMessageReceiverException.class)
    ProblemDetail unknownReceiver(UnknownMessageReceiverException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badCall(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ProblemDetail unreadable(HttpMessageNotReadableException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "the body is not the JSON this endpoint takes");
    }

    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<ProblemDetail> failed(RuntimeException e) {
        log.warn("Message call failed here; the coordinator will repeat it", e);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "1")
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                        "the message call failed here; the coordinator repeats it (the cause is in this "
                                + "application's log)"));
    }
}

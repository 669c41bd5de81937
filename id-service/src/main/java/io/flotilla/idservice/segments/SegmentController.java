package io.flotilla.idservice.segments;

import java.net.URI;
import java.util.Arrays;

import io.flotilla.id.segment.InvalidSegmentRequestException;
import io.flotilla.id.segment.SegmentIdGenerator;
import io.flotilla.idservice.ids.IdBatchResponse;
import io.flotilla.idservice.ids.IdResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Segment ids (Leaf-segment) per tag. Ids travel as decimal strings, like the snowflake ids, and increase per tag
 * on each replica; replicas sharing the database never issue the same id.
 */
@RestController
@RequestMapping("/v1/segments")
public class SegmentController {

    /** Largest batch, the same as for snowflake ids. */
    static final int MAX_BATCH = 10_000;

    private final SegmentIdGenerator generator;

    public SegmentController(SegmentIdGenerator generator) {
        this.generator = generator;
    }

    @Operation(summary = "Create a tag; its first id is 1")
    @PostMapping
    public ResponseEntity<SegmentTagResponse> create(@RequestBody CreateSegmentRequest request) {
        if (request.tag() == null || request.step() == null) {
            throw new InvalidSegmentRequestException("tag and step are required, e.g. {\"tag\":\"order\",\"step\":1000}");
        }
        generator.createTag(request.tag(), request.step());
        return ResponseEntity.created(URI.create("/v1/segments/" + request.tag()))
            .body(new SegmentTagResponse(request.tag(), request.step()));
    }

    @Operation(summary = "Issue one id of a tag")
    @GetMapping("/{tag}/next")
    public IdResponse next(@Parameter(description = "the tag") @PathVariable("tag") String tag) {
        return new IdResponse(Long.toString(generator.next(tag)));
    }

    @Operation(summary = "Issue a batch of ids of a tag, in increasing order")
    @GetMapping("/{tag}")
    public IdBatchResponse batch(@Parameter(description = "the tag") @PathVariable("tag") String tag,
            @Parameter(description = "how many ids, 1..10000") @RequestParam("count") int count) {
        if (count < 1 || count > MAX_BATCH) {
            throw new InvalidSegmentRequestException("count must be between 1 and " + MAX_BATCH + ", got " + count);
        }
        String[] ids = Arrays.stream(generator.next(tag, count)).mapToObj(Long::toString).toArray(String[]::new);
        return new IdBatchResponse(Arrays.asList(ids));
    }
}

package io.flotilla.idservice.ids;

import java.util.Arrays;

import io.flotilla.id.core.IdGenerator;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Issues and parses snowflake ids. Ids travel as decimal strings. */
@RestController
@RequestMapping("/v1/ids")
public class IdController {

    static final int MAX_BATCH = 10_000;

    private final IdGenerator generator;

    public IdController(IdGenerator generator) {
        this.generator = generator;
    }

    @Operation(summary = "Issue one id")
    @GetMapping("/next")
    public IdResponse next() {
        return new IdResponse(Long.toString(generator.next()));
    }

    @Operation(summary = "Issue a batch of ids, in increasing order")
    @GetMapping
    public IdBatchResponse batch(
            @Parameter(description = "how many ids, 1..10000") @RequestParam("count") int count) {
        if (count < 1 || count > MAX_BATCH) {
            throw new InvalidBatchSizeException(count);
        }
        String[] ids = Arrays.stream(generator.next(count)).mapToObj(Long::toString).toArray(String[]::new);
        return new IdBatchResponse(Arrays.asList(ids));
    }

    @Operation(summary = "Read the fields of an id")
    @GetMapping("/{id}")
    public ParsedIdResponse parse(@Parameter(description = "the id, decimal") @PathVariable("id") long id) {
        return ParsedIdResponse.of(generator.parse(id));
    }
}

package io.flotilla.idservice.segments;

import io.flotilla.id.segment.InvalidSegmentRequestException;
import io.flotilla.id.segment.TagExistsException;
import io.flotilla.id.segment.UnknownTagException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Problem details for the segment endpoints' own failures: 400 bad input, 404 unknown tag, 409 tag exists. Ordered
 * before {@code IdProblemHandler}, which answers everything else (503 when no segment can be taken, Spring MVC's
 * own 400s, 500).
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class SegmentProblemHandler {

    @ExceptionHandler(InvalidSegmentRequestException.class)
    ProblemDetail invalid(InvalidSegmentRequestException ex) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid segment request", ex.getMessage());
    }

    @ExceptionHandler(UnknownTagException.class)
    ProblemDetail unknownTag(UnknownTagException ex) {
        return problem(HttpStatus.NOT_FOUND, "Unknown tag", ex.getMessage());
    }

    @ExceptionHandler(TagExistsException.class)
    ProblemDetail tagExists(TagExistsException ex) {
        return problem(HttpStatus.CONFLICT, "Tag exists", ex.getMessage());
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}

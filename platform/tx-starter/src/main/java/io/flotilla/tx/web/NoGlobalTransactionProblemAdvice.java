package io.flotilla.tx.web;

import io.flotilla.tx.api.TxProblemType;
import io.flotilla.tx.core.NoGlobalTransactionException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers a branch method (TCC try, XA branch) called without a global transaction with a 400 problem whose detail says what is missing, so
 * the caller's exception ({@code HttpClientErrorException}'s message holds the body) names the mistake instead of
 * a bare 500. Ordered before the application's own advice, whose catch-all would otherwise hide it.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE + 100)
public class NoGlobalTransactionProblemAdvice {

    @ExceptionHandler(NoGlobalTransactionException.class)
    ProblemDetail noGlobalTransaction(NoGlobalTransactionException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setType(TxProblemType.NO_GLOBAL_TRANSACTION.uri());
        problem.setTitle("No global transaction");
        return problem;
    }
}

package io.openinsure.db.examples.spring;

import io.openinsure.db.core.ConnectionUnavailableException;
import io.openinsure.db.core.LimitExceededException;
import io.openinsure.db.domains.DomainException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The SDK's typed errors as RFC 9457 problem details; their messages name the keyspace and never carry credentials. */
@RestControllerAdvice
class ErrorResponses {

    @ExceptionHandler(DomainException.class)
    ProblemDetail domain(DomainException e) {
        HttpStatus status = switch (e.reason()) {
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case INVALID, MISSING_REFERENCE -> HttpStatus.UNPROCESSABLE_CONTENT;
            case ILLEGAL_TRANSITION, CONFLICT -> HttpStatus.CONFLICT;
        };
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, e.getMessage());
        problem.setProperty("reason", e.reason().name());
        return problem;
    }

    @ExceptionHandler(ConnectionUnavailableException.class)
    ProblemDetail unavailable(ConnectionUnavailableException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
    }

    @ExceptionHandler(LimitExceededException.class)
    ProblemDetail limit(LimitExceededException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, e.getMessage());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }
}

package io.flotilla.idservice.ids;

/** A batch request asked for a number of ids outside 1..{@value IdController#MAX_BATCH}. */
class InvalidBatchSizeException extends RuntimeException {

    InvalidBatchSizeException(int count) {
        super("count must be between 1 and " + IdController.MAX_BATCH + ", got " + count);
    }
}

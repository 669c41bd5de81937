package io.flotilla.id.core;

/** Issues unique, increasing 63-bit ids and reads them back. */
public interface IdGenerator {

    /**
     * Issues one id, greater than every id this generator issued before.
     *
     * @return the id
     * @throws IdGenerationException when no id can be issued now (clock far behind, layout exhausted, lease lost)
     */
    long next();

    /**
     * Issues {@code count} ids in increasing order, all greater than every earlier one.
     *
     * @param count how many ids, at least 1
     * @return the ids, increasing
     * @throws IdGenerationException when no id can be issued now; ids already reserved by the call are skipped,
     *         never reissued
     */
    long[] next(int count);

    /**
     * Reads an id's fields.
     *
     * @param id the id
     * @return its fields
     * @throws InvalidIdException when the id is negative or stamped after the current time
     */
    IdParts parse(long id);

    /** @return the bit layout */
    IdLayout layout();

    /** @return counters for metrics */
    IdGeneratorStats stats();
}

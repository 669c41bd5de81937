package io.flotilla.idservice.ids;

/**
 * One id.
 *
 * @param id the id as a decimal string (JavaScript numbers lose precision above 2^53)
 */
public record IdResponse(String id) {
}

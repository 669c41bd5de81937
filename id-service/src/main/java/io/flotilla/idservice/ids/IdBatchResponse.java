package io.flotilla.idservice.ids;

import java.util.List;

/**
 * A batch of ids.
 *
 * @param ids the ids as decimal strings, in increasing order
 */
public record IdBatchResponse(List<String> ids) {
}

package io.opsagent.core.runs;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param next opaque cursor for the next page, null on the last page
 */
public record Page<T>(List<T> items, String next) {
    public Page {
        items = List.copyOf(items);
    }
}

package io.devswarm.core.store;

import io.devswarm.core.model.InvalidSpecException;
import java.util.List;
import java.util.function.Function;

/** One page of a listing with the total count across all pages. */
public record Page<T>(List<T> items, long total, int offset, int limit) {
    public Page {
        items = List.copyOf(items);
    }

    /** Refuses the page a caller asked for, naming the parameter, unless {@code offset >= 0} and {@code 1 <= limit <= maxLimit}. */
    public static void requireValid(int offset, int limit, int maxLimit) {
        if (offset < 0) throw new InvalidSpecException("offset", "must be >= 0");
        if (limit < 1 || limit > maxLimit) throw new InvalidSpecException("limit", "must be between 1 and " + maxLimit);
    }

    public <R> Page<R> map(Function<T, R> f) {
        return new Page<>(items.stream().map(f).toList(), total, offset, limit);
    }
}

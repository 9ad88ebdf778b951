package io.devswarm.core.store;

import java.util.List;
import java.util.function.Function;

/** One page of a listing with the total count across all pages. */
public record Page<T>(List<T> items, long total, int offset, int limit) {
    public Page {
        items = List.copyOf(items);
    }

    public <R> Page<R> map(Function<T, R> f) {
        return new Page<>(items.stream().map(f).toList(), total, offset, limit);
    }
}

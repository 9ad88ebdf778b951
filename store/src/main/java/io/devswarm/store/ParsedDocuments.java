package io.devswarm.store;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Documents parsed once per distinct text. For immutable values read again and again, such as an
 * instance's spec on every call that names the instance: parsing it was half the cost of reading
 * the row. Bounded: past {@link #MAX} texts it starts again empty.
 */
final class ParsedDocuments<T> {
    static final int MAX = 4096;

    private final Map<String, T> byText = new ConcurrentHashMap<>();
    private final Function<String, T> parse;

    ParsedDocuments(Function<String, T> parse) {
        this.parse = parse;
    }

    T get(String text) {
        if (text == null) return null;
        T known = byText.get(text);
        if (known != null) return known;
        T parsed = parse.apply(text);
        if (byText.size() >= MAX) byText.clear();
        byText.put(text, parsed);
        return parsed;
    }
}

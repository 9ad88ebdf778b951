package io.devswarm.core.model;

/** Texts made to fit the columns that keep them. */
public final class Texts {
    private Texts() {}

    /**
     * {@code text} cut to at most {@code max} characters (ending in "…" when cut, never half a
     * character), NUL shown as U+FFFD: what a provider or caller wrote is kept as far as it fits,
     * never the reason a write fails.
     */
    public static String fit(String text, int max) {
        if (text == null) return null;
        String clean = text.replace('\0', '\uFFFD');
        if (clean.length() <= max) return clean;
        int end = Character.isHighSurrogate(clean.charAt(max - 2)) ? max - 2 : max - 1;
        return clean.substring(0, end) + "…";
    }
}

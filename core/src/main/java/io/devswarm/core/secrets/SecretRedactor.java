package io.devswarm.core.secrets;

import java.util.Map;

/**
 * Takes secret values out of text devswarm keeps (command output in the history): a command that
 * prints its environment must not copy a secret into a place readable by roles that may not see it.
 */
public final class SecretRedactor {
    /** Shorter values are too likely to match ordinary text to be worth replacing. */
    private static final int MIN_LENGTH = 4;

    private SecretRedactor() {}

    public static String redact(String text, Map<String, String> secrets) {
        if (text == null || text.isEmpty()) return text;
        String out = text;
        for (var e : secrets.entrySet()) {
            if (e.getValue().length() >= MIN_LENGTH && out.contains(e.getValue())) out = out.replace(e.getValue(), "[secret " + e.getKey() + "]");
        }
        return out;
    }
}

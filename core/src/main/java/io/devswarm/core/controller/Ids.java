package io.devswarm.core.controller;

import java.security.SecureRandom;

/** Short random ids with a type prefix ("i-", "op-", "ex-"), safe in URLs, labels and names. */
public final class Ids {
    /** The prefix of instance ids. */
    public static final String INSTANCE = "i";
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int LENGTH = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    public static String next(String prefix) {
        char[] out = new char[LENGTH];
        for (int i = 0; i < out.length; i++) out[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
        return prefix + "-" + new String(out);
    }

    /** Whether {@code value} has the shape of an id {@link #next} makes with {@code prefix}; a string without it is no such id. */
    public static boolean isShaped(String prefix, String value) {
        if (value.length() != prefix.length() + 1 + LENGTH || !value.startsWith(prefix) || value.charAt(prefix.length()) != '-') return false;
        for (int i = prefix.length() + 1; i < value.length(); i++) {
            if (ALPHABET.indexOf(value.charAt(i)) < 0) return false;
        }
        return true;
    }
}

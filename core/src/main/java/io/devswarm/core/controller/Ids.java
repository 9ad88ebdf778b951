package io.devswarm.core.controller;

import java.security.SecureRandom;

/** Short random ids with a type prefix ("i-", "op-", "ex-"), safe in URLs, labels and names. */
public final class Ids {
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    public static String next(String prefix) {
        char[] out = new char[12];
        for (int i = 0; i < out.length; i++) out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        return prefix + "-" + new String(out);
    }
}

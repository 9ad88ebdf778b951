package io.devswarm.core.access;

import io.devswarm.core.store.UserStore;

/**
 * Who owns an instance, by id. A user with an account here is their {@link User#id}; a user
 * known here by name only (an OIDC issuer's user, or an SSH key holder with no account) is
 * {@code "name:" + username}, which no account id can equal.
 */
public final class Owners {
    private static final String NAMED = "name:";

    private Owners() {}

    /** The owner id of a user with no account here. */
    public static String named(String username) {
        return NAMED + username;
    }

    /** The username of an owner known by name only; null for an account's id (its name is the account's, while it lasts). */
    public static String nameOnly(String ownerId) {
        return ownerId != null && ownerId.startsWith(NAMED) ? ownerId.substring(NAMED.length()) : null;
    }

    /** The owner id of {@code username} as the caller names them: the caller themselves, an account here, or a name only. */
    public static String idOf(Caller caller, String username, UserStore users) {
        if (username == null) return null;
        if (username.equals(caller.username()) && caller.instanceScope() == null) return caller.userId();
        return users.find(username).map(User::id).orElse(named(username));
    }
}

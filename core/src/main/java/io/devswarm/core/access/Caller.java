package io.devswarm.core.access;

import java.util.Set;

/**
 * Who is asking: a user with roles, or automation inside one instance holding an instance token.
 *
 * @param userId        the user's id ({@link User#id}, or {@link Owners#named} for a user known here by name only);
 *                      for an instance token, the id of the user it was made by
 * @param instanceScope id of the only instance an instance token may touch; null for user tokens
 */
public record Caller(String username, String userId, Set<Role> roles, String instanceScope) {
    public Caller {
        roles = Set.copyOf(roles);
    }

    public static Caller user(String username, String userId, Set<Role> roles) {
        return new Caller(username, userId, roles, null);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    public boolean hasAny(Role... wanted) {
        for (Role r : wanted) if (roles.contains(r)) return true;
        return false;
    }
}

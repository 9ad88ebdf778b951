package io.devswarm.core.access;

import java.time.Instant;
import java.util.Set;

/**
 * A devswarm user: who signs in to the API and whose SSH keys open the gateway.
 *
 * @param id           made once and never reused: what owns instances and what tokens name, so a
 *                     new user given a deleted user's name inherits nothing
 * @param passwordHash an encoded password hash (algorithm prefix included); never a password
 */
public record User(String id, String username, String passwordHash, Set<Role> roles, Instant createdAt) {
    public User {
        roles = Set.copyOf(roles);
    }

    @Override
    public String toString() {
        return "User[" + username + " " + id + ", roles=" + roles + "]"; // not the hash
    }
}

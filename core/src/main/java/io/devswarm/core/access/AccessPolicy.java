package io.devswarm.core.access;

import io.devswarm.core.model.Instance;
import io.devswarm.core.model.NotFoundException;

/**
 * The access matrix in one place. An instance the caller may not see is reported as not found
 * (404), so its name does not leak; an action on something the caller may see but not change is
 * forbidden (403).
 */
public final class AccessPolicy {
    private AccessPolicy() {}

    /** Whether the caller sees every instance rather than only their own. */
    public static boolean seesAllInstances(Caller c) {
        return c.instanceScope() == null && c.hasAny(Role.ADMIN, Role.ORCHESTRATOR, Role.AUDITOR, Role.VIEWER);
    }

    public static boolean canSee(Caller c, Instance instance) {
        if (c.instanceScope() != null) return c.instanceScope().equals(instance.id());
        return seesAllInstances(c) || owns(c, instance);
    }

    /** The instance, if the caller may see it; otherwise "not found", exactly as if it did not exist. */
    public static Instance visible(Caller c, Instance instance, String requested) {
        if (!canSee(c, instance)) throw new NotFoundException("instance", requested);
        return instance;
    }

    /** Start, stop, restart, exec: the owner, an orchestrator or an admin; an instance token on its own instance. */
    public static Instance operable(Caller c, Instance instance, String requested) {
        visible(c, instance, requested);
        if (c.instanceScope() != null || c.hasAny(Role.ADMIN, Role.ORCHESTRATOR)) return instance;
        if (owns(c, instance)) return instance;
        throw new ForbiddenException("your roles " + roles(c) + " may only read instances");
    }

    /** Update, recreate, delete, instance secrets, instance tokens: as {@link #operable} but never an instance token. */
    public static Instance manageable(Caller c, Instance instance, String requested) {
        operable(c, instance, requested);
        if (c.instanceScope() != null) throw new ForbiddenException("an instance token may not do this");
        return instance;
    }

    /** Whether the caller reads command output and operation history (not a viewer's status-only access). */
    public static boolean readsDetails(Caller c) {
        return c.instanceScope() != null || c.hasAny(Role.ADMIN, Role.ORCHESTRATOR, Role.AUDITOR, Role.DEVELOPER);
    }

    /**
     * The owner a new instance gets. Developers create for themselves; orchestrators and admins
     * may name someone else.
     */
    public static String ownerForCreate(Caller c, String requestedOwner) {
        requireUser(c);
        if (c.hasAny(Role.ADMIN, Role.ORCHESTRATOR)) return requestedOwner == null || requestedOwner.isBlank() ? c.username() : requestedOwner;
        if (c.has(Role.DEVELOPER)) {
            if (requestedOwner != null && !requestedOwner.isBlank() && !requestedOwner.equals(c.username())) {
                throw new ForbiddenException("a developer creates instances for themselves only (owner must be '" + c.username() + "')");
            }
            return c.username();
        }
        throw new ForbiddenException("your roles " + roles(c) + " may not create instances");
    }

    /** Adding or removing SSH keys: your own as a developer; anyone's as orchestrator or admin (public keys only). */
    public static void requireKeyChange(Caller c, String user) {
        requireUser(c);
        if (c.hasAny(Role.ADMIN, Role.ORCHESTRATOR)) return;
        if (c.has(Role.DEVELOPER) && c.username().equals(user)) return;
        throw new ForbiddenException("you may manage your own SSH keys only");
    }

    /** Listing SSH keys: as {@link #requireKeyChange}, and auditors, who review who can get in. */
    public static void requireKeyRead(Caller c, String user) {
        requireUser(c);
        if (!c.has(Role.AUDITOR)) requireKeyChange(c, user);
    }

    /** Secrets of a user: the user themselves or an admin. */
    public static void requireUserSecrets(Caller c, String user) {
        requireUser(c);
        if (c.has(Role.ADMIN) || (c.has(Role.DEVELOPER) && c.username().equals(user))) return;
        throw new ForbiddenException("only the user or an admin may manage a user's secrets");
    }

    /** Secrets of an instance: its owner or an admin; orchestrators manage instances but not their secrets. */
    public static Instance secretsOf(Caller c, Instance instance, String requested) {
        visible(c, instance, requested);
        requireUser(c);
        if (readsSecretsOf(c, instance)) return instance;
        throw new ForbiddenException("only the instance's owner or an admin may manage its secrets");
    }

    /**
     * Whether the caller may see what the instance's secrets are: its owner and admins, who may
     * set them (and read them inside it). Output of a command that ran with secrets in its
     * environment may carry them in any encoding, so it is shown to these callers only.
     */
    public static boolean readsSecretsOf(Caller c, Instance instance) {
        return c.instanceScope() == null && (c.has(Role.ADMIN) || owns(c, instance));
    }

    /** Seeing a secret's value: admins, and a user their own user secrets. Service (instance and global) secrets are admin-only. */
    public static void requireReveal(Caller c, boolean ownUserSecret) {
        requireUser(c);
        if (!c.has(Role.ADMIN) && !ownUserSecret) throw new ForbiddenException("only an admin may reveal this secret's value");
    }

    public static void requireRole(Caller c, Role... roles) {
        requireUser(c);
        if (!c.hasAny(roles)) throw new ForbiddenException("this needs one of the roles " + java.util.Arrays.stream(roles).map(Role::id).toList());
    }

    /** Instance tokens act on their instance only; everything else needs a user. */
    public static void requireUser(Caller c) {
        if (c.instanceScope() != null) throw new ForbiddenException("an instance token may only act on its own instance");
    }

    /** By id, not name: a user made later with a deleted owner's name owns nothing of theirs. */
    private static boolean owns(Caller c, Instance instance) {
        return c.has(Role.DEVELOPER) && c.userId() != null && c.userId().equals(instance.ownerId());
    }

    private static String roles(Caller c) {
        return c.roles().stream().map(Role::id).sorted().toList().toString();
    }
}

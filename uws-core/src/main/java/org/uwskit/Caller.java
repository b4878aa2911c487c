package org.uwskit;

import java.util.Set;

/**
 * Who makes a request, as the host application authenticated them. Built by an
 * {@link org.uwskit.spi.OwnerResolver} from the host's principal; the API decides access with an
 * {@link org.uwskit.spi.Authorizer}.
 *
 * @param ownerId the identity (becomes the job's ownerId), or null when anonymous
 * @param roles   the host's roles for this caller
 * @param admin   whether the caller may see and change every owner's jobs
 */
public record Caller(String ownerId, Set<String> roles, boolean admin) {
    private static final Caller ANONYMOUS = new Caller(null, Set.of(), false);
    private static final Caller SYSTEM = new Caller(null, Set.of(), true);

    public Caller {
        roles = roles == null ? Set.of() : Set.copyOf(roles);
    }

    public static Caller anonymous() {
        return ANONYMOUS;
    }

    /** An authenticated caller with no special role. */
    public static Caller of(String ownerId) {
        return new Caller(ownerId, Set.of(), false);
    }

    /** A caller that may do anything: for the host application's own code and tests. */
    public static Caller system() {
        return SYSTEM;
    }

    public boolean isAnonymous() {
        return ownerId == null && !admin;
    }
}

package org.uwskit.spi;

import java.security.Principal;
import java.util.function.Predicate;
import org.uwskit.Caller;

/**
 * Turns the host application's authentication (its principal and roles) into a {@link Caller}. The servlet adapter
 * calls it for every request with {@code request.getUserPrincipal()} and {@code request::isUserInRole}; uwskit never
 * authenticates by itself. The default uses the principal's name as ownerId and grants admin to the role
 * {@code uws-admin}. Thread-safe; must not block.
 */
@FunctionalInterface
public interface OwnerResolver {
    /** The role that sees and changes every owner's jobs under the default resolver. */
    String DEFAULT_ADMIN_ROLE = "uws-admin";

    /**
     * Turns one request's authentication into a caller.
     *
     * @param principal the authenticated principal, or null when anonymous
     * @param hasRole   tells whether the caller has a role of the host's
     * @return the caller; never null ({@link Caller#anonymous()} for nobody)
     */
    Caller resolve(Principal principal, Predicate<String> hasRole);

    /**
     * The default resolver: the principal's name as ownerId, admin for the role {@value #DEFAULT_ADMIN_ROLE}, no
     * other roles copied; anonymous without a principal.
     *
     * @return the resolver
     */
    static OwnerResolver byPrincipalName() {
        return (principal, hasRole) -> principal == null
                ? Caller.anonymous()
                : new Caller(principal.getName(), java.util.Set.of(), hasRole.test(DEFAULT_ADMIN_ROLE));
    }
}

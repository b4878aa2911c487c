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
     * @param principal the authenticated principal, or null when anonymous
     * @param hasRole   tells whether the caller has a role of the host's
     */
    Caller resolve(Principal principal, Predicate<String> hasRole);

    /** The default resolver. */
    static OwnerResolver byPrincipalName() {
        return (principal, hasRole) -> principal == null
                ? Caller.anonymous()
                : new Caller(principal.getName(), java.util.Set.of(), hasRole.test(DEFAULT_ADMIN_ROLE));
    }
}

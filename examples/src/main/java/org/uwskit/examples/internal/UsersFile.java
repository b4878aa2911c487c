package org.uwskit.examples.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.security.HashLoginService;
import org.eclipse.jetty.security.UserStore;
import org.eclipse.jetty.util.security.Credential;
import org.uwskit.examples.ExampleOptions.BadOptionException;

/**
 * The {@code --users} file: one {@code name:password} per line, optionally {@code name:password:role,role}; blank
 * lines and lines starting with {@code #} are ignored. Not a public API of uwskit.
 */
public final class UsersFile {
    /** The realm shown in the browser's password prompt. */
    public static final String REALM = "uwskit";

    private final Map<String, User> users;

    private UsersFile(Map<String, User> users) {
        this.users = java.util.Collections.unmodifiableMap(users);
    }

    /**
     * Reads and checks the file.
     *
     * @throws BadOptionException naming the file and line of the first problem, or if the file cannot be read
     */
    public static UsersFile read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadOptionException("--users: cannot read " + file + ": " + e);
        }
        return parse(file.toString(), lines);
    }

    /** Parses the lines of a users file; {@code source} names it in messages. */
    public static UsersFile parse(String source, List<String> lines) {
        Map<String, User> users = new LinkedHashMap<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = "--users " + source + " line " + (n + 1) + ": ";
            String[] parts = line.split(":", 3);
            if (parts.length < 2 || parts[0].isBlank() || parts[1].isEmpty()) {
                throw new BadOptionException(where + "expected name:password");
            }
            List<String> roles = parts.length == 3 && !parts[2].isBlank()
                    ? Arrays.stream(parts[2].split(",")).map(String::strip).filter(r -> !r.isEmpty()).toList()
                    : List.of();
            if (users.putIfAbsent(parts[0], new User(parts[0], parts[1], roles)) != null) {
                throw new BadOptionException(where + "user " + parts[0] + " is listed twice");
            }
        }
        if (users.isEmpty()) {
            throw new BadOptionException("--users " + source + " lists no user");
        }
        return new UsersFile(users);
    }

    public Map<String, User> users() {
        return users;
    }

    /** A Jetty login service that knows these users. */
    public HashLoginService loginService() {
        UserStore store = new UserStore();
        for (User u : users.values()) {
            store.addUser(u.name(), Credential.getCredential(u.password()), u.roles().toArray(String[]::new));
        }
        HashLoginService service = new HashLoginService(REALM);
        service.setUserStore(store);
        return service;
    }

    /**
     * One user.
     *
     * @param name     the login name (becomes the ownerId of the user's jobs)
     * @param password the clear-text password
     * @param roles    the user's roles, e.g. {@code uws-admin}
     */
    public record User(String name, String password, List<String> roles) {
        public User {
            Objects.requireNonNull(name);
            Objects.requireNonNull(password);
            roles = List.copyOf(new ArrayList<>(roles));
        }

        @Override
        public String toString() {
            return "User[" + name + " " + roles + "]";
        }
    }
}

package org.uwskit.examples.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.uwskit.examples.ExampleOptions.BadOptionException;

class UsersFileTest {

    @Test
    void readsUsersRolesAndSkipsCommentsAndBlankLines() {
        UsersFile f = UsersFile.parse("u", List.of("# users", "", "alice:secret", "  root:p:uws-admin  ",
                "carol:pw:uws-admin, other"));
        assertThat(f.users().keySet()).containsExactly("alice", "root", "carol");
        assertThat(f.users().get("alice").password()).isEqualTo("secret");
        assertThat(f.users().get("alice").roles()).isEmpty();
        assertThat(f.users().get("carol").roles()).containsExactly("uws-admin", "other");
        assertThat(f.users().get("root").password()).isEqualTo("p");
        assertThat(f.users().get("root").roles()).containsExactly("uws-admin");
        assertThat(f.loginService().getName()).isEqualTo(UsersFile.REALM);
    }

    @Test
    void badLinesAreNamedByNumber() {
        assertThatThrownBy(() -> UsersFile.parse("u.txt", List.of("alice:a", "bob")))
                .isInstanceOf(BadOptionException.class).hasMessageContaining("u.txt line 2").hasMessageContaining("name:password");
        assertThatThrownBy(() -> UsersFile.parse("u.txt", List.of("alice:")))
                .isInstanceOf(BadOptionException.class).hasMessageContaining("line 1");
        assertThatThrownBy(() -> UsersFile.parse("u.txt", List.of("alice:a", "alice:b")))
                .isInstanceOf(BadOptionException.class).hasMessageContaining("listed twice");
        assertThatThrownBy(() -> UsersFile.parse("u.txt", List.of("# nobody")))
                .isInstanceOf(BadOptionException.class).hasMessageContaining("no user");
    }

    @Test
    void aMissingFileIsABadOption() {
        assertThatThrownBy(() -> UsersFile.read(Path.of("/nonexistent/users.txt")))
                .isInstanceOf(BadOptionException.class).hasMessageContaining("cannot read");
    }
}

package io.devswarm.server.users;

import io.devswarm.core.access.Role;
import io.devswarm.core.store.Store;
import io.devswarm.server.system.DevswarmProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * With no user at all, makes "admin" with a random password and writes it to a 0600 file in
 * $DEVSWARM_HOME; the log says where, never what. With several servers starting at once, one
 * wins the insert and the others find a user already there.
 */
@Component
@Order(0)
class FirstStart implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(FirstStart.class);
    static final String FILE = "admin-credentials";

    private final Store store;
    private final Accounts accounts;
    private final Path file;

    FirstStart(Store store, Accounts accounts, DevswarmProperties props) {
        this.store = store;
        this.accounts = accounts;
        this.file = props.home().resolve(FILE);
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        if (store.users().count() > 0) return;
        String password = Accounts.randomToken(18);
        try {
            accounts.create("admin", password, EnumSet.of(Role.ADMIN));
        } catch (io.devswarm.core.model.ConflictException anotherServerWon) {
            return;
        }
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, "# devswarm first-start credentials. Sign in, change the password, then delete this file.\n"
                + "username=admin\npassword=" + password + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        log.info("first start: created user 'admin'; its one-time password is in {} (mode 0600). Sign in with `devswarm login`, "
                + "change it with `devswarm passwd`, then delete the file.", file);
    }

}

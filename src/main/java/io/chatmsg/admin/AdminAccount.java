package io.chatmsg.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

import io.chatmsg.config.ChatProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The operator account. With no {@code chat.admin.password}, a strong password
 * is generated once, logged once, and only its hash is kept (in
 * {@code <data-dir>/admin-password.hash}, readable by the owner only), so a
 * restart keeps it and nothing on disk reveals it. There is never a default.
 */
final class AdminAccount {

    static final String HASH_FILE = "admin-password.hash";
    /** Written when the operator changes the password in the dashboard; wins over everything else. */
    static final String CHANGED_FILE = "admin-password.changed.hash";

    private static final Logger log = LoggerFactory.getLogger(AdminAccount.class);
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final int GENERATED_LENGTH = 24;

    private AdminAccount() {}

    static UserDetails load(AdminProperties admin, ChatProperties chat, PasswordEncoder encoder) {
        Path changed = chat.dataDir().resolve(CHANGED_FILE);
        String hash;
        if (Files.exists(changed)) {
            hash = read(changed);
        } else if (!admin.password().isEmpty()) {
            hash = encoder.encode(admin.password());
        } else {
            hash = storedOrGenerated(admin.username(), chat.dataDir().resolve(HASH_FILE), encoder);
        }
        return User.withUsername(admin.username()).password(hash).roles("ADMIN").build();
    }

    /** Keeps a password the operator set in the dashboard (its hash only) for the next starts. */
    public static void storeChanged(Path dataDir, String hash) {
        Path file = dataDir.resolve(CHANGED_FILE);
        try {
            Files.writeString(file, hash + "\n", StandardCharsets.UTF_8);
            restrictToOwner(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String storedOrGenerated(String username, Path file, PasswordEncoder encoder) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            String password = generate();
            String hash = encoder.encode(password);
            Files.createDirectories(file.getParent());
            Files.writeString(file, hash + "\n", StandardCharsets.UTF_8);
            restrictToOwner(file);
            log.warn(
                    "\n\n    Dashboard login: user '{}', generated password: {}\n"
                            + "    Shown only this once; its hash is in {}.\n"
                            + "    Set chat.admin.password to choose one, or delete that file to generate a new one.\n",
                    username,
                    password,
                    file.toAbsolutePath());
            return hash;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the admin password hash " + file, e);
        }
    }

    private static String generate() {
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder(GENERATED_LENGTH);
        for (int i = 0; i < GENERATED_LENGTH; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system (Windows): the directory's ACLs apply.
        }
    }
}

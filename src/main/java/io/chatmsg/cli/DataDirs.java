package io.chatmsg.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a path can be the data dir, checked without creating anything. */
public final class DataDirs {

    private DataDirs() {}

    /**
     * Null when {@code dir} is a directory this user can write, or can be made
     * one (its nearest existing ancestor is a writable directory); else why not,
     * in a few words.
     */
    public static String whyUnusable(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        if (Files.exists(d)) {
            if (!Files.isDirectory(d)) {
                return "is a file, not a directory";
            }
            return Files.isWritable(d) ? null : "is not writable by user " + System.getProperty("user.name");
        }
        Path ancestor = d.getParent();
        while (ancestor != null && !Files.exists(ancestor)) {
            ancestor = ancestor.getParent();
        }
        if (ancestor == null) {
            return null; // nothing exists up to the root: let the creation say why
        }
        if (!Files.isDirectory(ancestor)) {
            return "cannot be created: " + ancestor + " is a file, not a directory";
        }
        if (!Files.isWritable(ancestor)) {
            return "cannot be created: " + ancestor + " is not writable by user " + System.getProperty("user.name");
        }
        return null;
    }
}

package io.chatmsg.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Before anything opens the database: the data dir exists (or can be made)
 * and this user can write in it. Otherwise one clear line instead of an H2
 * stack trace. (The launcher checks a data dir given on the command line or
 * in the environment before Spring starts; this catches one set anywhere else.)
 */
class DataDirCheck implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        String configured = event.getEnvironment().getProperty("chat.data-dir", "./data");
        Path dir = Path.of(configured).toAbsolutePath().normalize();
        String user = System.getProperty("user.name");
        String why = DataDirs.whyUnusable(dir);
        if (why != null) {
            throw StartupProblem.configuration(
                    "the data dir " + dir + " " + why,
                    "Set chat.data-dir to a directory user " + user + " can write, or create that one.",
                    null);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StartupProblem(
                    "the data dir " + dir + " does not exist and cannot be created (" + e + ")",
                    "Create it and give it to user " + user + ", or set chat.data-dir to a directory it can write.",
                    e);
        }
        Path probe = dir.resolve(".write-test");
        try {
            Files.deleteIfExists(probe);
            Files.createFile(probe);
            Files.delete(probe);
        } catch (IOException e) {
            throw new StartupProblem(
                    "the data dir " + dir + " is not writable by user " + user + " (" + e + ")",
                    "Give user " + user + " write permission on it (chown/chmod), or set chat.data-dir elsewhere.",
                    e);
        }
    }
}

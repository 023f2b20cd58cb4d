package io.chatmsg;

import io.chatmsg.cli.Launcher;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.bind.BindException;

@SpringBootApplication
public class ChatGatewayApplication {

    public static void main(String[] args) {
        String[] serverArgs = Launcher.serverArgsOrRunTool(args);
        if (serverArgs != null) {
            try {
                SpringApplication.run(ChatGatewayApplication.class, serverArgs);
            } catch (RuntimeException e) {
                // Spring Boot has already reported why; a bad property value is a usage error.
                System.exit(startFailureStatus(e));
            }
        }
    }

    /** 2 (usage error) for an invalid property value, else 1. */
    static int startFailureStatus(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return Launcher.USAGE_ERROR;
            }
        }
        return 1;
    }
}

package io.chatmsg;

import io.chatmsg.cli.Launcher;
import io.chatmsg.ops.StartupFailures;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class ChatGatewayApplication {

    public static void main(String[] args) {
        String[] serverArgs = Launcher.serverArgsOrRunTool(args);
        if (serverArgs != null) {
            try {
                SpringApplication.run(ChatGatewayApplication.class, serverArgs);
            } catch (RuntimeException e) {
                // The log above has Spring Boot's report; stderr ends with one line of why.
                System.err.println("chat-gateway: " + StartupFailures.oneLine(e));
                System.exit(StartupFailures.exitStatus(e)); // 2: a property value is the problem
            }
        }
    }
}

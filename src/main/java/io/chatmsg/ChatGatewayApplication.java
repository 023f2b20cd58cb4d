package io.chatmsg;

import io.chatmsg.cli.Launcher;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class ChatGatewayApplication {

    public static void main(String[] args) {
        String[] serverArgs = Launcher.serverArgsOrRunTool(args);
        if (serverArgs != null) {
            SpringApplication.run(ChatGatewayApplication.class, serverArgs);
        }
    }
}

package io.devswarm.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code devswarm server}: runs the server jar in its own JVM, so the CLI stays free of Spring. */
@Command(name = "server", description = "Run the devswarm server (embedded H2 and the local Docker engine by default).")
final class ServerCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", description = "arguments for the server, e.g. --server.port=9090")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        String jar = System.getenv("DEVSWARM_SERVER_JAR");
        if (jar == null) {
            Path self = Path.of(ServerCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            jar = self.getParent().getParent().getParent().resolve("server/target/devswarm-server.jar").toString();
        }
        if (!Files.exists(Path.of(jar))) {
            System.err.println("error: server jar not found at " + jar + "; build it with ./mvnw -DskipTests package or set DEVSWARM_SERVER_JAR");
            return 2;
        }
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar", jar));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).inheritIO().start().waitFor();
    }
}

package io.devswarm.cli;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code devswarm ssh <instance> [command]}: plain OpenSSH through the gateway, waking the instance if it sleeps. */
@Command(name = "ssh", description = "Open a shell (or run a command) in an instance through the SSH gateway.")
final class SshCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Parameters(index = "0") String instance;
    @Parameters(index = "1..*", arity = "0..*") List<String> command = new ArrayList<>();
    @Option(names = {"-p", "--port"}, defaultValue = "10022", description = "gateway port (default ${DEFAULT-VALUE})") int port;
    @Option(names = {"-i", "--identity"}, description = "private key file") String identity;

    @Override
    public Integer call() throws Exception {
        String host = URI.create(main.serverUrl()).getHost();
        List<String> cmd = new ArrayList<>(List.of("ssh", "-p", Integer.toString(port)));
        if (identity != null) cmd.addAll(List.of("-i", identity));
        cmd.add(instance + "@" + host);
        cmd.addAll(command);
        return new ProcessBuilder(cmd).inheritIO().start().waitFor();
    }
}

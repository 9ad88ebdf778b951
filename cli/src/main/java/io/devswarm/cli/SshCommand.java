package io.devswarm.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code devswarm ssh <instance> [command]}: plain OpenSSH through the gateway, waking the instance
 * if it sleeps. Host, port and host key come from the server, so ssh checks the key strictly and
 * never asks (which would fail without a terminal).
 */
@Command(name = "ssh", description = "Open a shell (or run a command) in an instance through the SSH gateway.")
final class SshCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Parameters(index = "0") String instance;
    @Parameters(index = "1..*", arity = "0..*") List<String> command = new ArrayList<>();
    @Option(names = {"-i", "--identity"}, description = "private key file") String identity;

    @Override
    public Integer call() throws Exception {
        GatewayAccess access = GatewayAccess.of(main.client().get("/instances/" + instance, Map.of()));
        List<String> cmd = new ArrayList<>(List.of("ssh", "-p", Integer.toString(access.port()), "-o", "UserKnownHostsFile=" + access.trust(),
                "-o", "StrictHostKeyChecking=yes"));
        if (identity != null) cmd.addAll(List.of("-i", identity));
        cmd.add(access.instance() + "@" + access.host());
        cmd.addAll(command);
        return new ProcessBuilder(cmd).inheritIO().start().waitFor();
    }
}

package io.devswarm.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code devswarm ssh-config NAME}: a Host entry and the gateway's host key, so plain {@code ssh NAME} (and VS Code) work. */
@Command(name = "ssh-config", description = "Write a ~/.ssh/config entry for an instance and trust the gateway's host key, so `ssh NAME` works.")
final class SshConfigCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Parameters(description = "instance name") String instance;
    @Option(names = "--print", description = "print the entry and the known_hosts line instead of writing them") boolean print;
    @Option(names = {"-i", "--identity"}, description = "private key file for the entry") String identity;
    @Option(names = "--config", description = "ssh config file (default ~/.ssh/config)") Path config;

    @Override
    public Integer call() throws Exception {
        GatewayAccess access = GatewayAccess.of(main.client().get("/instances/" + instance, Map.of()));
        if (print) {
            System.out.print(access.hostEntry(GatewayAccess.knownHostsFile(), identity));
            System.out.println("# known_hosts line for " + GatewayAccess.knownHostsFile() + ":");
            System.out.println(access.knownHostsLine());
            return 0;
        }
        Path file = config != null ? config : Path.of(System.getProperty("user.home"), ".ssh", "config");
        access.writeEntry(file, access.hostEntry(access.trust(), identity));
        System.err.println("wrote Host " + access.instance() + " to " + file + " and the gateway's key to " + GatewayAccess.knownHostsFile()
                + "; try: ssh " + access.instance());
        return 0;
    }
}

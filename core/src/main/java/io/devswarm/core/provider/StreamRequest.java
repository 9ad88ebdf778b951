package io.devswarm.core.provider;

import java.util.List;
import java.util.Map;

/**
 * An interactive process to attach to, as the SSH gateway opens for a shell, an exec, sftp or scp.
 *
 * @param command empty = the user's login shell
 * @param tty     allocate a terminal (stdout and stderr then arrive merged on stdout)
 */
public record StreamRequest(List<String> command, Map<String, String> env, String user, String workdir, boolean tty, int columns, int rows) {
    public StreamRequest {
        command = command == null ? List.of() : List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    public static StreamRequest pipe(String... command) {
        return new StreamRequest(List.of(command), null, null, null, false, 0, 0);
    }
}

package io.devswarm.core.provider;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A non-interactive command to run inside an instance.
 *
 * @param user           user to run as; null = the image's default
 * @param workdir        working directory; null = the image's default
 * @param timeout        kill the command after this long
 * @param maxOutputBytes cap per stream (stdout and stderr each); output beyond it is dropped
 */
public record ExecRequest(List<String> command, Map<String, String> env, String user, String workdir, Duration timeout, int maxOutputBytes) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    public static final int DEFAULT_MAX_OUTPUT = 1 << 20;

    public ExecRequest {
        if (command == null || command.isEmpty()) throw new IllegalArgumentException("command is empty");
        command = List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        maxOutputBytes = maxOutputBytes <= 0 ? DEFAULT_MAX_OUTPUT : maxOutputBytes;
    }

    public static ExecRequest of(String... command) {
        return new ExecRequest(List.of(command), null, null, null, null, 0);
    }
}

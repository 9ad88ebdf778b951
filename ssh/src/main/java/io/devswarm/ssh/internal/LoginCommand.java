package io.devswarm.ssh.internal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a session runs inside the instance, set up as sshd would: the user's login shell and home
 * from the instance's own passwd entry (bash for developer in devswarm/dev, /bin/sh in busybox),
 * USER, LOGNAME, HOME, SHELL and, on a terminal, SSH_TTY; the working directory is the home.
 * A shell session runs {@code $SHELL -l}, an exec {@code $SHELL -c COMMAND}. Tools such as VS
 * Code's server rely on that environment. The lookup runs in the instance with POSIX sh alone,
 * so it works in any image and on every provider.
 */
final class LoginCommand {
    /** Arguments after the script: $1 = shell|exec|sftp, $2 = the exec's command line. */
    private static final String SCRIPT = String.join("\n",
            "u=$(id -un 2>/dev/null) || u=$(whoami)",
            "e=$(getent passwd \"$u\" 2>/dev/null || grep \"^$u:\" /etc/passwd 2>/dev/null)",
            "s=${e##*:}; h=${e%:*}; h=${h##*:}",
            "[ -n \"$e\" ] && [ -x \"$s\" ] || s=/bin/sh",
            "[ -n \"$e\" ] && [ -d \"$h\" ] || h=${HOME:-/}",
            "export USER=\"$u\" LOGNAME=\"$u\" HOME=\"$h\" SHELL=\"$s\"",
            "if [ -t 0 ]; then SSH_TTY=$(tty) && export SSH_TTY; fi",
            "cd \"$HOME\" 2>/dev/null || cd /",
            "case $1 in",
            "  shell) exec \"$SHELL\" -l ;;",
            "  exec) exec \"$SHELL\" -c \"$2\" ;;",
            // images put sftp-server in different places
            "  sftp) for p in /usr/lib/openssh/sftp-server /usr/libexec/openssh/sftp-server /usr/lib/ssh/sftp-server /usr/libexec/sftp-server; do",
            "          [ -x \"$p\" ] && exec \"$p\"",
            "        done",
            "        echo 'devswarm: no sftp-server in this image' >&2; exit 127 ;;",
            "esac");

    private LoginCommand() {}

    static List<String> shell() {
        return List.of("/bin/sh", "-c", SCRIPT, "devswarm-login", "shell");
    }

    static List<String> exec(String command) {
        return List.of("/bin/sh", "-c", SCRIPT, "devswarm-login", "exec", command);
    }

    static List<String> sftp() {
        return List.of("/bin/sh", "-c", SCRIPT, "devswarm-login", "sftp");
    }

    /** SSH_CONNECTION and SSH_CLIENT as sshd sets them: who connected from where, to which address and port. */
    static Map<String, String> connectionEnv(SocketAddress client, SocketAddress server) {
        Map<String, String> env = new LinkedHashMap<>();
        if (client instanceof InetSocketAddress c && server instanceof InetSocketAddress s) {
            String from = c.getAddress().getHostAddress() + " " + c.getPort();
            env.put("SSH_CONNECTION", from + " " + s.getAddress().getHostAddress() + " " + s.getPort());
            env.put("SSH_CLIENT", from + " " + s.getPort());
        }
        return env;
    }
}

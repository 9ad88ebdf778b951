package io.devswarm.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.devswarm.core.model.Instance;
import io.devswarm.core.model.InstanceHandle;
import io.devswarm.core.operation.Operation;
import io.devswarm.core.operation.OperationStatus;
import io.devswarm.core.operation.Priority;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("control plane on PostgreSQL")
class PostgresControlPlaneTest extends ControlPlaneSpec {
    private DatabaseSettings settings;

    @Override
    DatabaseSettings database(Path tmp) {
        if (settings == null) settings = TestDatabases.postgres();
        return settings;
    }

    /** Two server processes on one database: only PostgreSQL serves several (an H2 file has one process). */
    @Test
    @DisplayName("fencing: a server process paused past its lease (SIGSTOP) resumes and overwrites nothing the server that took over wrote")
    void pausedServerIsFencedOff() throws Exception {
        swarm.close();
        swarm = null;
        DatabaseSettings db = database(tmp);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), PausedServer.class.getName(), db.url(), db.user(),
                db.password(), "sleeper").redirectErrorStream(true).start();
        BlockingQueue<String> output = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (var lines = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
                for (String line; (line = lines.readLine()) != null; ) output.add(line);
            } catch (IOException closed) {
                // the child was killed
            }
        });
        try {
            String[] ids = nextLine(output, l -> l.matches("i-\\S+ op-\\S+")).split(" ");
            signal(child, "STOP");
            swarm = Swarm.withoutReconcilePasses(db, "successor", Swarm.fastSettings("successor")).start();
            // the substrate both servers share: the paused one's stop has not reached it
            swarm.provider.plantOrphan(new InstanceHandle(ids[0], "sleeper", null), Instant.now());
            swarm.waiter.await(ids[1], Duration.ofSeconds(60));
            Operation retaken = swarm.store.operations().find(ids[1]).orElseThrow();
            assertThat(retaken.status()).as("%s", retaken).isEqualTo(OperationStatus.COMPLETED);
            assertThat(retaken.worker()).isEqualTo("successor");
            assertThat(retaken.attempts()).isEqualTo(2);
            String start = swarm.controller.start("sleeper", Priority.DEFAULT).operation().id();
            assertThat(swarm.waiter.await(start, Duration.ofSeconds(30)).operation().status()).isEqualTo(OperationStatus.COMPLETED);
            Instance running = swarm.controller.find("sleeper");

            signal(child, "CONT");
            child.getOutputStream().write('\n');
            child.getOutputStream().flush();
            nextLine(output, l -> l.contains(ids[1]) && l.contains("was taken over"));
            assertThat(swarm.store.operations().find(ids[1]).orElseThrow()).isEqualTo(retaken);
            assertThat(swarm.controller.find("sleeper")).isEqualTo(running);
        } finally {
            child.destroyForcibly();
            child.waitFor();
        }
    }

    private static void signal(Process p, String signal) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start().waitFor()).isZero();
    }

    /** The child's next output line that matches, within 30 s; the lines seen are in the failure. */
    private static String nextLine(BlockingQueue<String> output, Predicate<String> wanted) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            String line = output.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) break;
            if (wanted.test(line)) return line;
            seen.add(line);
        }
        return fail("the child server printed no such line; it printed:\n" + String.join("\n", seen));
    }
}

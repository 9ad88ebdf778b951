package io.devswarm.store;

import io.devswarm.core.controller.Accepted;
import io.devswarm.core.controller.SwarmController;
import io.devswarm.core.model.InstanceSpec;
import io.devswarm.core.operation.OperationStatus;
import io.devswarm.core.operation.Priority;
import io.devswarm.core.testing.InMemoryProvider;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;

/**
 * Run in a child JVM by the fencing test: creates an instance, then stops it with the provider's
 * stop held, prints the instance and operation ids, and lets the stop go on when a line arrives on
 * stdin. Meanwhile the test pauses this process (SIGSTOP) past its lease and resumes it.
 */
public final class PausedServer {
    public static void main(String[] args) throws Exception {
        DatabaseSettings db = new DatabaseSettings(args[0], args[1], args[2], 4);
        Swarm swarm = Swarm.withoutReconcilePasses(db, "paused", Swarm.fastSettings("paused")).start();
        Accepted created = swarm.controller.create(SwarmController.CreateInstance.of(InstanceSpec.of(args[3], "img")));
        if (swarm.waiter.await(created.operation().id(), Duration.ofSeconds(30)).operation().status() != OperationStatus.COMPLETED) throw new IllegalStateException("create failed");
        InMemoryProvider.Gate held = swarm.provider.holdNextStop();
        Accepted stop = swarm.controller.stop(args[3], Priority.DEFAULT);
        held.awaitEntered();
        System.out.println(created.instance().id() + " " + stop.operation().id());
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in)).readLine();
        held.open();
        Thread.sleep(Long.MAX_VALUE);
    }
}

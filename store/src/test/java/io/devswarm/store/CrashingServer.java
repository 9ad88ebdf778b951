package io.devswarm.store;

import io.devswarm.core.controller.SwarmController;
import io.devswarm.core.model.InstanceSpec;
import java.util.concurrent.CountDownLatch;

/**
 * Run in a child JVM by the kill -9 test: submits a create whose provider call never returns,
 * prints the operation id, and waits to be killed.
 */
public final class CrashingServer {
    public static void main(String[] args) throws Exception {
        DatabaseSettings db = new DatabaseSettings(args[0], args[1], args[2], 4);
        Swarm swarm = new Swarm(db, "doomed", Swarm.fastSettings("doomed"));
        swarm.provider.holdCreates(new CountDownLatch(1));
        swarm.start();
        var accepted = swarm.controller.create(SwarmController.CreateInstance.of(InstanceSpec.of(args[3], "img")));
        System.out.println(accepted.operation().id());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}

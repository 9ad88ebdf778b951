package io.devswarm.core.provider.feature;

import io.devswarm.core.model.InstanceHandle;
import io.devswarm.core.provider.ExecStream;
import io.devswarm.core.provider.StreamRequest;

/**
 * Interactive processes inside an instance: what the SSH gateway bridges shells, commands, sftp,
 * scp and forwarded ports ({@code ssh -L}) to. A substrate that can only run a command to its end
 * (the Fly.io Machines API) lacks it; the gateway then turns sessions to its instances away with a
 * message instead of trying.
 */
public interface ExecStreams {

    /**
     * Starts {@code request}'s process in the running instance and attaches to it; thread-safe. The
     * caller owns the stream and must close it, which ends what is left of the process.
     *
     * @throws io.devswarm.core.provider.ProviderException REJECTED when the instance is not running,
     *         NOT_FOUND when it has no compute, UNAVAILABLE when the substrate cannot be reached
     */
    ExecStream openStream(InstanceHandle instance, StreamRequest request);
}

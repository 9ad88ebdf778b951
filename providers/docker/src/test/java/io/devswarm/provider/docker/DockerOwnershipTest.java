package io.devswarm.provider.docker;

import static io.devswarm.core.testing.HostCommand.docker;
import static org.assertj.core.api.Assertions.assertThat;

import io.devswarm.core.model.InstanceHandle;
import io.devswarm.core.model.InstanceSpec;
import io.devswarm.core.provider.ExecRequest;
import io.devswarm.core.provider.Labels;
import io.devswarm.core.provider.ObservedInstance;
import io.devswarm.core.provider.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Docker provider: workspaces belong to one owner in one installation, and volumes made before that keep their data")
class DockerOwnershipTest {
    private final String suffix = Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36);
    /** Every instance name a test uses: whatever is left of it on the engine is removed after the test. */
    private final String name = "own-" + suffix;
    private final List<DockerProvider> providers = new ArrayList<>();
    private DockerProvider provider;

    @BeforeEach
    void setUp() {
        provider = connect("docker-test");
    }

    private DockerProvider connect(String installation) {
        DockerProvider p = DockerEngine.provider(installation);
        providers.add(p);
        return p;
    }

    @AfterEach
    void tearDown() throws Exception {
        providers.forEach(Provider::close);
        String containers = docker("ps", "-aq", "--filter", "label=" + Labels.NAME + "=" + name);
        if (!containers.isBlank()) docker(command("rm -f", containers));
        String volumes = docker("volume", "ls", "-q", "--filter", "label=" + Labels.NAME + "=" + name);
        if (!volumes.isBlank()) docker(command("volume rm", volumes));
    }

    private static String[] command(String verb, String ids) {
        List<String> args = new ArrayList<>(List.of(verb.split(" ")));
        args.addAll(List.of(ids.split("\\s+")));
        return args.toArray(String[]::new);
    }

    private InstanceHandle instance(String owner) {
        return new InstanceHandle("i-ow" + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36), name, null, owner);
    }

    private static ObservedInstance create(Provider p, InstanceHandle h) {
        return p.create(h, InstanceSpec.of(h.name(), DockerEngine.BASE_IMAGE));
    }

    private static String workspace(Provider p, InstanceHandle h) {
        return p.execute(h, ExecRequest.of("sh", "-c", "cat /workspace/* 2>/dev/null; true")).stdout();
    }

    private static void write(Provider p, InstanceHandle h, String file, String text) {
        assertThat(p.execute(h, ExecRequest.of("sh", "-c", "echo " + text + " > /workspace/" + file)).exitCode()).isZero();
    }

    private List<String> volumesOf(String installation) throws Exception {
        String out = docker("volume", "ls", "-q", "--filter", "label=" + Labels.NAME + "=" + name, "--filter", "label=" + Labels.INSTALLATION + "=" + installation);
        return out.isBlank() ? List.of() : List.of(out.split("\\s+"));
    }

    @Test
    @DisplayName("a workspace kept by a delete goes back to its owner re-creating the name; another user gets an empty one and leaves it alone")
    void keptVolumesGoBackToTheirOwnerOnly() throws Exception {
        InstanceHandle alice = instance("alice");
        create(provider, alice);
        write(provider, alice, "alice.txt", "alices-work");
        provider.delete(alice, true);
        List<String> kept = volumesOf("docker-test");
        assertThat(kept).hasSize(1);

        InstanceHandle bob = instance("bob");
        create(provider, bob);
        assertThat(workspace(provider, bob)).isEmpty();
        write(provider, bob, "bob.txt", "bobs-work");
        provider.delete(bob, false);
        assertThat(volumesOf("docker-test")).isEqualTo(kept);

        InstanceHandle aliceAgain = instance("alice");
        create(provider, aliceAgain);
        assertThat(workspace(provider, aliceAgain)).isEqualTo("alices-work\n");
        provider.delete(aliceAgain, false);
        assertThat(volumesOf("docker-test")).isEmpty();
    }

    @Test
    @DisplayName("two installations on one engine, one instance name: each has its own container and workspace, and never lists, mounts or removes the other's")
    void installationsKeepApart() throws Exception {
        DockerProvider other = connect("docker-test-other");
        InstanceHandle mine = instance("alice"), theirs = instance("alice");
        create(provider, mine);
        write(provider, mine, "mine.txt", "first-installation");
        create(other, theirs);
        assertThat(workspace(other, theirs)).isEmpty();
        assertThat(provider.containerName(mine)).isNotEqualTo(other.containerName(theirs));
        assertThat(provider.list(Map.of(Labels.NAME, name))).extracting(ObservedInstance::instanceId).containsExactly(mine.id());
        assertThat(other.list(Map.of(Labels.NAME, name))).extracting(ObservedInstance::instanceId).containsExactly(theirs.id());

        assertThat(other.get(mine)).as("another installation's container, though it has the instance's id").isEmpty();

        provider.delete(mine, true);
        other.delete(theirs, false);
        List<String> kept = volumesOf("docker-test");
        assertThat(kept).hasSize(1);
        assertThat(volumesOf("docker-test-other")).isEmpty();

        InstanceHandle theirsAgain = instance("alice");
        create(other, theirsAgain);
        assertThat(workspace(other, theirsAgain)).as("the same owner's name in another installation").isEmpty();
        other.delete(theirsAgain, false);
        assertThat(volumesOf("docker-test")).isEqualTo(kept);

        InstanceHandle mineAgain = instance("alice");
        create(provider, mineAgain);
        assertThat(workspace(provider, mineAgain)).isEqualTo("first-installation\n");
    }

    /** A volume and container as devswarm made them before resources were keyed by installation and owner. */
    private void legacyInstance(InstanceHandle h, boolean withInstallationLabel, boolean withContainer) throws Exception {
        String volume = "devswarm-" + h.name() + "-workspace";
        List<String> labels = new ArrayList<>(List.of("--label", Labels.MANAGED + "=true", "--label", Labels.INSTANCE + "=" + h.id(),
                "--label", Labels.NAME + "=" + h.name()));
        if (withInstallationLabel) labels.addAll(List.of("--label", Labels.INSTALLATION + "=docker-test"));
        List<String> args = new ArrayList<>(List.of("volume", "create"));
        args.addAll(labels);
        args.addAll(List.of("--label", Labels.VOLUME + "=workspace", volume));
        docker(args.toArray(String[]::new));
        docker("run", "--rm", "-v", volume + ":/workspace", DockerEngine.BASE_IMAGE, "sh", "-c", "echo made-before-the-upgrade > /workspace/old.txt");
        if (!withContainer) return;
        args = new ArrayList<>(List.of("create", "--name", "devswarm-" + h.name()));
        args.addAll(labels);
        args.addAll(List.of("--mount", "type=volume,src=" + volume + ",dst=/workspace", DockerEngine.BASE_IMAGE));
        docker(args.toArray(String[]::new));
    }

    @Test
    @DisplayName("an instance made before the upgrade starts in its old container, and a re-create mounts its old volume under its old name")
    void legacyInstanceKeepsItsData() throws Exception {
        InstanceHandle h = instance("alice");
        legacyInstance(h, true, true);

        assertThat(provider.start(h).state()).isEqualTo(ObservedInstance.State.RUNNING);
        assertThat(workspace(provider, h)).isEqualTo("made-before-the-upgrade\n");

        provider.delete(h, true);
        create(provider, h);
        assertThat(docker("ps", "-a", "--format", "{{.Names}}", "--filter", "label=" + Labels.NAME + "=" + name)).as("the old container is gone")
                .isEqualTo(provider.containerName(h));
        assertThat(docker("inspect", "-f", "{{range .Mounts}}{{.Name}} {{end}}", provider.containerName(h))).contains("devswarm-" + name + "-workspace");
        assertThat(workspace(provider, h)).isEqualTo("made-before-the-upgrade\n");

        DockerProvider anotherServer = connect("docker-test");
        anotherServer.delete(h, false);
        assertThat(volumesOf("docker-test")).isEmpty();
    }

    @Test
    @DisplayName("a volume made before the upgrade without an installation label still serves the instance it names")
    void legacyVolumeWithoutInstallationLabel() throws Exception {
        InstanceHandle h = instance("alice");
        legacyInstance(h, false, false);
        create(provider, h);
        assertThat(workspace(provider, h)).isEqualTo("made-before-the-upgrade\n");
        provider.delete(h, false);
        assertThat(docker("volume", "ls", "-q", "--filter", "label=" + Labels.NAME + "=" + name)).isEmpty();
    }

    @Test
    @DisplayName("a volume kept before the upgrade (no owner recorded) is never given to a new instance of its name, nor removed by one")
    void legacyKeptVolumeIsNotGivenAway() throws Exception {
        InstanceHandle gone = instance("alice");
        legacyInstance(gone, true, false);
        InstanceHandle next = instance("alice");
        create(provider, next);
        assertThat(workspace(provider, next)).isEmpty();
        provider.delete(next, false);
        assertThat(volumesOf("docker-test")).containsExactly("devswarm-" + name + "-workspace");
        assertThat(docker("run", "--rm", "-v", "devswarm-" + name + "-workspace:/w", DockerEngine.BASE_IMAGE, "cat", "/w/old.txt"))
                .isEqualTo("made-before-the-upgrade");
    }
}

package io.devswarm.provider.docker.internal;

import io.devswarm.core.model.InstanceHandle;
import io.devswarm.core.model.VolumeSpec;
import io.devswarm.core.provider.Labels;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;

/**
 * What one installation calls an instance's container and volumes on an engine that other
 * installations, and several owners of this one, may share; and whether what the engine holds under
 * such a name is really that instance's.
 *
 * <p>The container is {@code devswarm-<installation tag>-<name>}: the tag (six hex digits of the
 * installation id's SHA-256) keeps two installations' containers of one name apart, and
 * {@code docker ps} still shows the instance name. A persistent volume is
 * {@code devswarm-<installation tag>-<name>-<owner tag>-<volume>} (the owner tag: eight hex digits of
 * the SHA-256 of the owner's id, which is never reused): keyed by installation, owner and name, not by instance id, so an instance its
 * owner re-creates after a delete that kept the volumes (which gets a new id) finds them again by
 * name, while anyone else creating that name gets volumes of their own. Names are never trusted
 * alone (anyone can make a volume of any name, and a tag can collide): the labels the engine gives
 * back must say the same installation, name and owner.
 *
 * <p>Before that, containers were {@code devswarm-<name>} and volumes {@code devswarm-<name>-<volume>}
 * for every installation and owner ({@linkplain #legacyContainer legacy names}). Docker cannot rename a
 * volume and copying a workspace can take long and fill the disk, so an instance made then keeps its
 * volumes under their old names: they are used for the instance whose id their {@code devswarm.instance}
 * label carries, never for another one, and a legacy volume kept by a delete (its instance gone, its
 * owner not recorded) is not given to anyone.
 */
public final class ResourceNames {
    private static final String PREFIX = "devswarm-";

    private final String installation;
    private final String tag;

    public ResourceNames(String installation) {
        this.installation = Objects.requireNonNull(installation, "installation");
        this.tag = hex(installation, 6);
    }

    /** The short tag of this installation in its resource names. */
    public String tag() {
        return tag;
    }

    public String container(InstanceHandle h) {
        return PREFIX + tag + "-" + h.name();
    }

    public String volume(InstanceHandle h, VolumeSpec v) {
        return PREFIX + tag + "-" + h.name() + "-" + hex(owner(h), 8) + "-" + v.volumeName();
    }

    /** The container name an instance made before containers were keyed by installation has. */
    public static String legacyContainer(InstanceHandle h) {
        return PREFIX + h.name();
    }

    /** The name a volume made before volumes were keyed by installation and owner has. */
    public static String legacyVolume(InstanceHandle h, VolumeSpec v) {
        return PREFIX + h.name() + "-" + v.volumeName();
    }

    /** The owner as labels record it: empty when the handle does not know it, so the label is always there. */
    public static String owner(InstanceHandle h) {
        return h.owner() == null ? "" : h.owner();
    }

    /**
     * Whether a volume mounted in the instance's (label-checked) container has this scheme's name for
     * it: such a volume was checked when the container was made. Anything else it mounts (an image's
     * anonymous volumes, legacy volumes) is not known by its name.
     */
    public boolean isNamedFor(InstanceHandle h, String volumeName) {
        return volumeName.startsWith(PREFIX + tag + "-" + h.name() + "-");
    }

    /** A container's labels say it is this instance's and not another installation's (labels of legacy containers may lack the installation). */
    public boolean isInstanceContainer(InstanceHandle h, Map<String, String> labels) {
        return labels != null && h.id().equals(labels.get(Labels.INSTANCE)) && isOursOrUnlabelled(labels);
    }

    /** A volume's labels say it is {@code h}'s owner's, for an instance of that name in this installation. */
    public boolean isOwnersVolume(InstanceHandle h, Map<String, String> labels) {
        return labels != null && installation.equals(labels.get(Labels.INSTALLATION)) && h.name().equals(labels.get(Labels.NAME))
                && owner(h).equals(labels.get(Labels.OWNER));
    }

    /** As {@link #isOwnersVolume}, and for the spec's volume {@code v}. */
    public boolean isOwnersVolume(InstanceHandle h, VolumeSpec v, Map<String, String> labels) {
        return isOwnersVolume(h, labels) && v.volumeName().equals(labels.get(Labels.VOLUME));
    }

    /** A volume without an owner label that this very instance made before volumes were keyed by owner. */
    public boolean isLegacyVolumeOf(InstanceHandle h, Map<String, String> labels) {
        return labels != null && !labels.containsKey(Labels.OWNER) && h.id().equals(labels.get(Labels.INSTANCE)) && isOursOrUnlabelled(labels);
    }

    private boolean isOursOrUnlabelled(Map<String, String> labels) {
        String of = labels.get(Labels.INSTALLATION);
        return of == null || installation.equals(of);
    }

    private static String hex(String value, int digits) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, digits);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}

package io.bpfstore.store.build;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.analysis.permissions.DeclaredPermissions;
import io.bpfstore.analysis.permissions.Evidence;
import io.bpfstore.analysis.permissions.PermissionAnalyzer;
import io.bpfstore.analysis.permissions.ProgramPermissions;
import io.bpfstore.analysis.permissions.UnknownPermissionException;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.store.image.Descriptor;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.image.ImageManifest;
import io.bpfstore.store.image.InvalidImageException;
import io.bpfstore.store.image.RepositoryName;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a built package image holds, read back: its {@code io.bpfstore.package} label, the declared permissions
 * and the object from the layer, with the permissions derived from it. Used by the checks that run on an
 * image rather than on sources (push, policy check, install).
 *
 * <pre>{@code
 * PackageContents c = PackageContents.of(OciLayout.read(dir, Optional.empty()));
 * c.requireDeclared();                 // UndeclaredPermissionsException when the object does more
 * }</pre>
 *
 * @param label    the parsed {@code io.bpfstore.package} label
 * @param declared the permissions the label declares
 * @param fileName the object's file name in the layer
 * @param object   the parsed object
 * @param derived  the permissions derived from the object, by program
 */
public record PackageContents(JsonNode label, DeclaredPermissions declared, String fileName, BpfObject object,
                              Map<String, ProgramPermissions> derived) {
    /** Largest object read out of a layer (the ELF reader's own limit applies too). */
    public static final long MAX_OBJECT = 32L << 20;

    /** Reads the label and the single layer of {@code image}; {@link InvalidImageException} when either is bad. */
    public static PackageContents of(Image image) {
        String where = "image " + image.digest();
        String text = image.label(PackageMetadata.PACKAGE_LABEL).orElseThrow(() -> new InvalidImageException(where,
                "no " + PackageMetadata.PACKAGE_LABEL + " label: not a bpfstore package"));
        JsonNode label = ImageManifest.json(text.getBytes(StandardCharsets.UTF_8),
                "label " + PackageMetadata.PACKAGE_LABEL);
        List<String> names = new ArrayList<>();
        JsonNode perms = label.path("permissions");
        if (!perms.isMissingNode() && !perms.isArray()) {
            throw new InvalidImageException(where, "label permissions is not a list");
        }
        for (JsonNode n : perms) {
            if (!n.isTextual()) {
                throw new InvalidImageException(where, "label permissions holds a non-text entry");
            }
            names.add(n.asText());
        }
        DeclaredPermissions declared;
        try {
            declared = DeclaredPermissions.parse(names);
        } catch (UnknownPermissionException e) {
            throw new InvalidImageException(where, "label permissions[" + e.index() + "]: " + e.getMessage());
        }
        List<Descriptor> layers = image.manifest().layers();
        if (layers.size() != 1) {
            throw new InvalidImageException(where, layers.size() + " layers; a package has exactly one");
        }
        LayerTar.Entry entry = LayerTar.read(image.blobs().get(layers.getFirst().digest()), MAX_OBJECT);
        String name = entry.name();
        int dot = name.indexOf('.');
        BpfObject object = typed(label, BpfObject.parse(entry.content(), dot > 0 ? name.substring(0, dot) : name),
                where);
        return new PackageContents(label, declared, name, object, PermissionAnalyzer.derive(object));
    }

    /**
     * {@code object} with the program types of the package label ({@link PackageMetadata#programTypes}) applied.
     *
     * @throws InvalidImageException when the label's types are malformed or name a program the object lacks
     */
    public static BpfObject typed(JsonNode label, BpfObject object, String where) {
        try {
            io.bpfstore.bytecode.object.ProgramTypes types = PackageMetadata.programTypes(label);
            for (String missing : types.missingFrom(object)) {
                throw new InvalidImageException(where, "label " + PackageMetadata.PROGRAM_TYPES + " names program "
                        + missing + ", which the object does not have");
            }
            return types.applyTo(object);
        } catch (IllegalArgumentException e) {
            throw new InvalidImageException(where, e.getMessage());
        }
    }

    /** {@code namespace/name} from the label. */
    public String repository() {
        return RepositoryName.of(label.path("namespace").asText(), label.path("name").asText());
    }

    /** The version from the label. */
    public String version() {
        return label.path("version").asText();
    }

    /** The evidence of derived permissions the label does not declare; empty when the declaration covers them. */
    public List<Evidence> undeclared() {
        return declared.undeclared(derived);
    }

    /** Refuses ({@link UndeclaredPermissionsException}) when the object does more than the label declares. */
    public void requireDeclared() {
        List<Evidence> missing = undeclared();
        if (!missing.isEmpty()) {
            throw new UndeclaredPermissionsException(repository() + " " + version(), missing);
        }
    }

    /** The union of the derived permissions of every program. */
    public DeclaredPermissions derivedPermissions() {
        return DeclaredPermissions.derivedFrom(derived);
    }

    /** The program types of the object's programs ({@link ProgramType#UNSPEC} for an unknown section). */
    public Set<ProgramType> programTypes() {
        EnumSet<ProgramType> out = EnumSet.noneOf(ProgramType.class);
        for (Program p : object.programs()) {
            out.add(p.type().orElse(ProgramType.UNSPEC));
        }
        return out;
    }
}

package io.bpfstore.registry;

import io.bpfstore.analysis.permissions.DeclaredPermissions;
import io.bpfstore.analysis.permissions.PermissionAnalyzer;
import io.bpfstore.bytecode.object.BpfObject;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfstore.store.image.Digest;
import io.bpfstore.testsupport.ExampleObjects;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * A package image built by hand per the package contract (one tar+gzip layer holding the object, a config
 * with the labels), for tests. Deterministic: same inputs, same digests.
 *
 * @param config   config blob
 * @param layer    layer blob
 * @param manifest manifest bytes
 */
record PackageImage(byte[] config, byte[] layer, byte[] manifest) {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A package spec for tests. */
    record Spec(String namespace, String name, String version, String description, String license,
                Map<String, String> programs, List<String> attachTypes, List<String> helpers) {
    }

    Digest configDigest() {
        return Digest.of(config);
    }

    Digest layerDigest() {
        return Digest.of(layer);
    }

    Digest manifestDigest() {
        return Digest.of(manifest);
    }

    /**
     * A package of {@code s} whose layer holds the example catalog's {@code xdp_counter.o} (the registry analyses
     * every package's object at push), declaring exactly the permissions derived from it.
     */
    static PackageImage of(Spec s) {
        try {
            return of(s, Files.readAllBytes(ExampleObjects.resolve("xdp_counter.o")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The permission ids derived from {@code object}. */
    static List<String> derivedPermissions(byte[] object) {
        return DeclaredPermissions.derivedFrom(PermissionAnalyzer.derive(BpfObject.parse(object, "object"))).ids();
    }

    static PackageImage of(Spec s, byte[] object) {
        return of(s, object, null);
    }

    /** Like {@link #of(Spec)}, with these maps (name to bpftool map type) in the labels. */
    static PackageImage of(Spec s, Map<String, String> maps) {
        try {
            return of(s, Files.readAllBytes(ExampleObjects.resolve("xdp_counter.o")), maps);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PackageImage of(Spec s, byte[] object, Map<String, String> maps) {
        try {
            String objectName = s.name().replace('-', '_') + ".o";
            byte[] tar = tar(objectName, object);
            byte[] layer = gzip(tar);
            ObjectNode meta = JSON.createObjectNode();
            meta.put("name", s.name());
            meta.put("namespace", s.namespace());
            meta.put("version", s.version());
            meta.put("description", s.description());
            meta.put("license", s.license());
            ArrayNode perms = meta.putArray("permissions");
            derivedPermissions(object).forEach(perms::add);
            ObjectNode req = meta.putObject("requirements");
            ArrayNode pt = req.putArray("program_types");
            s.programs().values().stream().distinct().sorted().forEach(pt::add);
            ArrayNode at = req.putArray("attach_types");
            s.attachTypes().forEach(at::add);
            ArrayNode hs = req.putArray("helpers");
            s.helpers().forEach(hs::add);
            if (maps != null) {
                ArrayNode mt = req.putArray("map_types");
                maps.values().stream().distinct().sorted().forEach(mt::add);
            }
            ArrayNode progs = meta.putArray("programs");
            s.programs().forEach((fn, type) -> progs.addObject().put("name", fn).put("type", type));
            if (maps != null) {
                ArrayNode list = meta.putArray("maps");
                maps.forEach((name, type) -> list.addObject().put("name", name).put("type", type));
            }
            meta.put("object", objectName);
            ObjectNode config = JSON.createObjectNode();
            config.put("architecture", "amd64");
            config.put("os", "linux");
            ObjectNode labels = config.putObject("config").putObject("Labels");
            labels.put("io.bpfstore.package", JSON.writeValueAsString(meta));
            labels.put("io.ebpf.programs", JSON.writeValueAsString(s.programs()));
            labels.put("io.ebpf.maps", maps == null ? "{\"counters\":\"percpu_array\"}" : JSON.writeValueAsString(maps));
            ObjectNode rootfs = config.putObject("rootfs");
            rootfs.put("type", "layers");
            rootfs.putArray("diff_ids").add(Digest.of(tar).toString());
            byte[] configBytes = JSON.writeValueAsBytes(config);
            ObjectNode m = JSON.createObjectNode();
            m.put("schemaVersion", 2);
            m.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
            m.set("config", descriptor("application/vnd.oci.image.config.v1+json", configBytes));
            m.putArray("layers").add(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layer));
            ObjectNode ann = m.putObject("annotations");
            ann.put("org.opencontainers.image.title", s.name());
            ann.put("org.opencontainers.image.version", s.version());
            return new PackageImage(configBytes, layer, JSON.writeValueAsBytes(m));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode descriptor(String mediaType, byte[] content) {
        ObjectNode d = JSON.createObjectNode();
        d.put("mediaType", mediaType);
        d.put("digest", Digest.of(content).toString());
        d.put("size", content.length);
        return d;
    }

    /** Writes an OCI image layout holding this image under {@code tag}. */
    void writeLayout(Path dir, String tag) throws IOException {
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        for (byte[] b : List.of(config, layer, manifest)) {
            Files.write(dir.resolve("blobs/sha256").resolve(Digest.of(b).hex()), b);
        }
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        ObjectNode d = descriptor("application/vnd.oci.image.manifest.v1+json", manifest);
        d.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
        index.putArray("manifests").add(d);
        Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(index));
    }

    /** A ustar archive with one regular file, mode 0644, uid/gid 0, mtime 0. */
    static byte[] tar(String name, byte[] content) {
        byte[] header = new byte[512];
        put(header, 0, name);
        put(header, 100, "0000644");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", content.length));
        put(header, 136, "00000000000");
        header[156] = '0';
        put(header, 257, "ustar");
        header[263] = '0';
        header[264] = '0';
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum));
        header[154] = 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header);
        out.writeBytes(content);
        out.writeBytes(new byte[(512 - content.length % 512) % 512]);
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    private static void put(byte[] header, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, header, at, b.length);
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}

package io.bpfstore.registry.trust;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.bytecode.MalformedObjectException;
import io.bpfstore.registry.storage.Accounts;
import io.bpfstore.registry.storage.BlobStore;
import io.bpfstore.registry.storage.ManifestRecord;
import io.bpfstore.registry.storage.Repositories;
import io.bpfstore.store.build.PackageContents;
import io.bpfstore.store.build.PackageMetadata;
import io.bpfstore.store.build.UndeclaredPermissionsException;
import io.bpfstore.store.image.Digest;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.image.ImageManifest;
import io.bpfstore.store.image.InvalidImageException;
import io.bpfstore.store.image.ManifestDocument;
import io.bpfstore.store.signing.SignatureLayer;
import io.bpfstore.store.signing.SignatureManifest;
import io.bpfstore.store.signing.TrustedKey;
import io.bpfstore.store.signing.VerificationException;
import io.bpfstore.registry.limits.AnalysisPool;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks a manifest push passes before the registry stores it (after the distribution API's own checks):
 *
 * <ol>
 *   <li><b>Permissions:</b> an image whose config carries the {@code io.bpfstore.package} label is a package; its
 *       layer must hold an eBPF object the registry can analyse, and the permissions derived from it must not
 *       exceed those the label declares. Refusal: {@code MANIFEST_INVALID} naming each permission and the
 *       instructions responsible.</li>
 *   <li><b>Signatures:</b> in a namespace that requires them, a signature manifest ({@code sha256-<hex>.sig})
 *       must verify under a key the namespace's publisher registered, for the digest its tag names and this
 *       repository; any other manifest must already have such a signature. Refusal: {@code DENIED}.</li>
 * </ol>
 */
public final class PushChecks {
    /** Largest config read (a package config is a few KiB). */
    public static final long MAX_CONFIG = 1L << 20;
    /** Largest package layer analysed. */
    public static final long MAX_LAYER = 16L << 20;
    private static final Pattern SIGNATURE_TAG = Pattern.compile("sha256-([0-9a-f]{64})\\.sig");

    private final Accounts accounts;
    private final StoredImages images;
    private final Repositories repositories;
    private final PackageSignatures signatures;
    private final AnalysisPool analysis;

    /**
     * Reads blobs from {@code blobs}, stored manifests from {@code repositories}, keys from {@code accounts};
     * analyses objects on {@code analysis}, whose time budget bounds the check.
     */
    public PushChecks(BlobStore blobs, Repositories repositories, Accounts accounts, AnalysisPool analysis) {
        this.analysis = analysis;
        this.accounts = accounts;
        this.images = new StoredImages(blobs);
        this.repositories = repositories;
        this.signatures = new PackageSignatures(repositories, blobs, accounts);
    }

    /**
     * Checks the push of {@code manifest} (its exact bytes, which {@link ManifestDocument#parse} accepted as
     * {@code doc}) to {@code repository} under {@code tag} (empty: by digest); every blob it references is
     * already linked in the repository. A check that cannot run refuses the push: nothing is stored half-checked.
     */
    public void check(String repository, Optional<String> tag, byte[] manifest, ManifestDocument doc)
            throws PushRefusedException, IOException {
        if (doc.isImage()) {
            checkPermissions(repository, manifest, new ImageManifest(doc.mediaType(), doc.config().orElseThrow(),
                    doc.layers(), doc.annotations()));
        }
        checkSignature(repository, tag, manifest);
    }

    private void checkPermissions(String repository, byte[] manifest, ImageManifest parsed)
            throws PushRefusedException, IOException {
        byte[] config;
        try {
            config = images.blob(parsed.config(), MAX_CONFIG);
        } catch (InvalidImageException e) {
            throw new PushRefusedException(false, "config: " + e.getMessage());
        }
        if (!isPackage(config, repository)) {
            return;
        }
        Image image;
        try {
            image = images.read(manifest, Math.max(MAX_CONFIG, MAX_LAYER));
        } catch (InvalidImageException e) {
            throw new PushRefusedException(false, "package " + repository + ": " + e.getMessage());
        }
        try {
            analysis.run(() -> {
                PackageContents.of(image).requireDeclared();
                return null;
            });
        } catch (AnalysisPool.OverBudget | AnalysisPool.Busy e) {
            // a check that cannot run refuses the push; nothing is stored half-checked
            throw new PushRefusedException(false, "package " + repository + ": its object could not be checked: "
                    + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PushRefusedException(false, "package " + repository + ": the check was interrupted");
        } catch (ExecutionException x) {
            rethrow(repository, x.getCause());
        }
    }

    private static void rethrow(String repository, Throwable cause) throws PushRefusedException {
        try {
            throw cause;
        } catch (UndeclaredPermissionsException e) {
            throw new PushRefusedException(false, "publish refused: " + e.getMessage());
        } catch (InvalidImageException | MalformedObjectException e) {
            throw new PushRefusedException(false, "package " + repository + ": the layer must hold an eBPF object "
                    + "the registry can analyse: " + e.getMessage());
        } catch (Throwable e) {
            // the analysis walks attacker-supplied bytecode; a crash in it is a refusal, never a stored package
            throw new PushRefusedException(false, "package " + repository + ": its object could not be analysed ("
                    + e + ")");
        }
    }

    /** Whether the config is a package's; a config no reader could agree on is refused, not taken as "no". */
    private static boolean isPackage(byte[] config, String repository) throws PushRefusedException {
        try {
            JsonNode root = ImageManifest.json(config, "config");
            return root.path("config").path("Labels").has(PackageMetadata.PACKAGE_LABEL);
        } catch (InvalidImageException e) {
            throw new PushRefusedException(false, repository + ": the image config cannot be checked: "
                    + e.getMessage());
        }
    }

    private void checkSignature(String repository, Optional<String> tag, byte[] manifest)
            throws PushRefusedException, IOException {
        String namespace = PackageSignatures.namespace(repository);
        if (!accounts.signaturesRequired(namespace)) {
            return;
        }
        List<TrustedKey> keys = signatures.keys(namespace);
        String rule = "namespace " + namespace + " requires signatures by its publisher's registered keys";
        if (keys.isEmpty()) {
            throw new PushRefusedException(true, rule + ", and none is registered");
        }
        Matcher sig = SIGNATURE_TAG.matcher(tag.orElse(""));
        Digest subject;
        List<SignatureLayer> layers;
        if (sig.matches()) {
            subject = Digest.parse("sha256:" + sig.group(1));
            layers = layers(manifest, rule);
        } else {
            subject = Digest.of(manifest);
            Optional<ManifestRecord> stored = repositories.taggedManifest(repository, SignatureManifest.tag(subject));
            if (stored.isEmpty()) {
                throw new PushRefusedException(true, rule + ": " + repository + "@" + subject + " is unsigned (push "
                        + "its signature " + SignatureManifest.tag(subject) + " first: bpfstore push --sign does)");
            }
            layers = layers(stored.get().content(), rule);
        }
        try {
            PackageSignatures.verify(repository, subject, layers, keys);
        } catch (VerificationException e) {
            throw new PushRefusedException(true, rule + ": " + e.getMessage());
        }
    }

    private List<SignatureLayer> layers(byte[] signatureManifest, String rule)
            throws PushRefusedException, IOException {
        try {
            return signatures.layers(signatureManifest);
        } catch (InvalidImageException e) {
            throw new PushRefusedException(true, rule + ": signature manifest is malformed: " + e.getMessage());
        }
    }
}

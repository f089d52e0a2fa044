/**
 * The {@code bpfstore.yaml} package manifest: its model ({@link io.bpfstore.store.manifest.PackageManifest}),
 * the hostile-input-safe parser ({@link io.bpfstore.store.manifest.ManifestParser}) and the defaults derived from
 * an object when there is no manifest ({@link io.bpfstore.store.manifest.ManifestDefaults}).
 *
 * <p>Traps: manifests come from strangers. The YAML parser limits aliases (a "billion laughs" document expands
 * exponentially), nesting depth and total size before anything is built; every problem becomes a
 * {@link io.bpfstore.store.manifest.ManifestException} naming the field, never a Jackson or SnakeYAML type.
 */
package io.bpfstore.store.manifest;

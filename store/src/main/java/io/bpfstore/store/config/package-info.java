/**
 * Where the CLI finds its registry and credentials: {@code --registry}, then {@code BPFSTORE_REGISTRY}, then
 * {@code registry:} in {@code $XDG_CONFIG_HOME/bpfstore/config.yaml} (or the file {@code BPFSTORE_CONFIG} names);
 * credentials saved by {@code bpfstore login} in {@code credentials.yaml} beside it, mode 0600.
 *
 * <p>Traps: credentials are secrets. The file is created with mode 0600 before anything is written into it and
 * replaced atomically, so no moment exists where another user could read it.
 */
package io.bpfstore.store.config;

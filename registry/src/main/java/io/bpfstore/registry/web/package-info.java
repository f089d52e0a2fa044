/**
 * The registry's server-rendered HTML web UI: home and search, package pages (metadata, declared and derived
 * permissions, disassembly with source lines), publisher pages and the stylesheet.
 *
 * <p>Traps: every string that comes from a package, a publisher or the request is hostile until escaped; pages
 * are built only through {@link io.bpfstore.registry.web.Markup}, whose {@code text}/{@code attr} escape and whose
 * {@code raw} takes compile-time constants only. Responses carry {@code Content-Security-Policy: default-src
 * 'self'}, so no inline script or style runs even if an escape were missed. Objects are read from blobs with
 * bounded sizes (a layer is attacker-supplied) and their analyses are cached per manifest digest, bounded.
 */
package io.bpfstore.registry.web;

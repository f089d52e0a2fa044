/**
 * Indexing other registries ({@code bpfstore registry index}): bpfstore packages and bpfman bytecode images
 * published elsewhere are copied in with their digests verified, indexed like local pushes (search, package page,
 * analysis, clashes) and shown with their origin.
 */
package io.bpfstore.registry.index;

package io.bpfstore.analysis.clash;

import io.bpfstore.bytecode.object.BpfObject;

/**
 * A package to check: its name and its object.
 *
 * @param name   the package's name (for now the object file's name)
 * @param object the parsed object
 */
public record CheckedPackage(String name, BpfObject object) {
}

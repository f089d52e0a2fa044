package io.bpfstore.registry.web;

/** Thrown by a page when what the URL names does not exist; answered with the friendly 404 page. */
final class NotFoundException extends Exception {
    /** {@code what} names the missing thing for the page, e.g. "package examples/foo". */
    NotFoundException(String what) {
        super(what);
    }
}

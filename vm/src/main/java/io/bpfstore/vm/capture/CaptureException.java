package io.bpfstore.vm.capture;

/** A capture that is not pcap or pcapng, uses a link type other than Ethernet, or is malformed. */
public final class CaptureException extends Exception {
    /** @param message what is wrong and where (record number, byte offset) */
    public CaptureException(String message) {
        super(message);
    }
}

package io.bpfstore.agent.watch;

import io.bpfstore.install.InstallLayout;
import io.bpfstore.install.InstallService.Recorded;
import io.bpfstore.install.Installation;
import io.bpfstore.install.InstallationStatus;
import java.util.List;

/**
 * Where the watch and the metrics learn which installations exist: the one seam between them and the install module's
 * state. The agent passes {@link io.bpfstore.agent.local.StateSource} (the state database under its lock).
 */
public interface InstallationSource {
    /**
     * One recorded installation with what the kernel says about its pins now.
     *
     * @param installation the record
     * @param status       its pins and links as the kernel sees them (install's {@code status})
     */
    record Watched(Installation installation, InstallationStatus status) {
    }

    /**
     * What reads the kernel itself for the recorded installations: the metrics, which need fewer facts per pin than
     * install's status gathers and read them in one pass.
     *
     * @param <T> what it makes of them
     */
    @FunctionalInterface
    interface RecordReader<T> {
        /**
         * Reads the kernel for {@code records}.
         *
         * @param records the installations and their pins, as recorded
         * @param layout  where their pins live (install's status needs it for XDP hooks)
         */
        T read(List<Recorded> records, InstallLayout layout);
    }

    /** The installations recorded now, each with its status read now. */
    List<Watched> installations();

    /**
     * Runs {@code reader} over the installations recorded now. The reader reads the kernel; the source makes sure no
     * operation changed the records while it did (else it runs it again over the records as they are then).
     */
    <T> T read(RecordReader<T> reader);
}

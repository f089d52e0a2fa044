package io.bpfstore.kernel.loader;

import io.bpfstore.bytecode.Reportable;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.object.ProgramTypes;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.Netns;
import io.bpfstore.kernel.link.BpfLink;
import io.bpfstore.kernel.link.Direction;
import io.bpfstore.kernel.link.Interface;
import io.bpfstore.kernel.link.Tcx;
import io.bpfstore.kernel.link.TcxOptions;
import io.bpfstore.kernel.link.Xdp;
import io.bpfstore.kernel.link.XdpOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Loads an object file into this kernel and reports the verdict per program, or loads it and attaches one of its
 * programs to a network hook ({@code bpfstore load}'s one entry point). Either way everything is closed again before
 * it returns; only a link pinned on request outlives the call.
 */
public final class LoadAndAttach {
    private LoadAndAttach() {
    }

    /**
     * What to load and, when asked, where to attach.
     *
     * @param types   program types for programs whose section names none (iproute2's {@code prog}), applied to the
     *                object as {@link ProgramTypes#applyTo} does
     * @param globals values for global variables of {@code .rodata}/{@code .data} by name, as
     *                {@link LoadOptions#withGlobals} sets them
     * @param netns   the network namespace to load in (verdicts) or to attach in (the interface is looked up there)
     * @param attach  the hook to attach one program to after loading; empty to load every program, keep going past
     *                refusals and report a verdict for each
     */
    public record Options(ProgramTypes types, Map<String, String> globals, Netns netns, Optional<Attach> attach) {
        /** Checks the arguments. */
        public Options {
            Objects.requireNonNull(types, "types");
            globals = Map.copyOf(Objects.requireNonNull(globals, "globals"));
            Objects.requireNonNull(netns, "netns");
            Objects.requireNonNull(attach, "attach");
        }
    }

    /**
     * Where to attach one program of the object.
     *
     * @param hook    the hook
     * @param device  the interface, looked up in {@link Options#netns()}
     * @param program the program to attach; empty for the only one whose type fits the hook
     * @param pin     a bpffs path to pin the link at, so the attachment outlives the call; empty to detach on return
     */
    public record Attach(Hook hook, Interface device, Optional<String> program, Optional<Path> pin) {
        /** Checks the arguments. */
        public Attach {
            Objects.requireNonNull(hook, "hook");
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(program, "program");
            Objects.requireNonNull(pin, "pin");
        }
    }

    /** The network hooks a program can be attached to here, with the program type each takes. */
    public enum Hook {
        /** XDP on an interface (a bpf_link when the kernel has them). */
        XDP("xdp", ProgramType.XDP),
        /** tcx on an interface's ingress. */
        TCX_INGRESS("tcx-ingress", ProgramType.SCHED_CLS),
        /** tcx on an interface's egress. */
        TCX_EGRESS("tcx-egress", ProgramType.SCHED_CLS);

        private final String label;
        private final ProgramType type;

        Hook(String label, ProgramType type) {
            this.label = label;
            this.type = type;
        }

        /** The hook's name on the command line: xdp, tcx-ingress, tcx-egress. */
        public String label() {
            return label;
        }

        /** The program type the hook takes. */
        public ProgramType programType() {
            return type;
        }

        /** The hook with that label, if any. */
        public static Optional<Hook> labelled(String label) {
            return Arrays.stream(values()).filter(h -> h.label.equals(label)).findFirst();
        }
    }

    /**
     * The kernel's verdict on one program.
     *
     * @param name         the program's name
     * @param type         its type in bpftool's words ({@code unknown} when the object names none)
     * @param accepted     whether the kernel loaded it
     * @param instructions instructions after the verifier's rewrite (bytes_xlated / 8), 0 when refused
     * @param message      the first line of the refusal, empty when accepted
     * @param source       the source line the verifier's log points at, when the object has line info
     */
    public record Verdict(String name, String type, boolean accepted, int instructions, String message,
                          Optional<SourceLine> source) {
    }

    /**
     * The attachment made.
     *
     * @param program the program attached
     * @param hook    where
     * @param linkId  the kernel's id of the link
     * @param pin     where the link is pinned; empty when it was detached again on return
     */
    public record Attached(String program, Hook hook, int linkId, Optional<Path> pin) {
    }

    /**
     * What happened.
     *
     * @param object   the object's name
     * @param verdicts one per program, in the object's order (all accepted when attaching: a refusal fails the load)
     * @param attached the attachment, when {@link Options#attach()} asked for one
     */
    public record Result(String object, List<Verdict> verdicts, Optional<Attached> attached) {
        /** Whether the kernel accepted every program. */
        public boolean accepted() {
            return verdicts.stream().allMatch(Verdict::accepted);
        }
    }

    /**
     * Reads {@code file}, gives it the program types of the options, loads it and, when asked, attaches.
     *
     * @throws IOException if the file cannot be read
     * @throws LoadException if a type does not apply, no single program fits the hook, or (when attaching) the
     *                       object does not load
     * @throws io.bpfstore.kernel.BpfException if the namespace cannot be entered or the attach call fails
     */
    public static Result run(Path file, Options options) throws IOException {
        BpfObject object;
        try {
            object = options.types().applyTo(BpfObject.read(file));
        } catch (IllegalArgumentException e) {
            throw new LoadException(e.getMessage(), e);
        }
        if (options.attach().isPresent()) {
            return attach(file, object, options, options.attach().get());
        }
        LoadOptions load = LoadOptions.defaults().keepingGoing().withoutPinning().withGlobals(options.globals());
        return new Result(object.name(), options.netns().run(() -> verdicts(object, load)), Optional.empty());
    }

    private static Result attach(Path file, BpfObject object, Options options, Attach attach) {
        Program chosen = choose(file, object, attach);
        try (LoadedObject loaded = Loader.load(object, LoadOptions.defaults().withoutPinning()
                .withGlobals(options.globals()));
             BpfLink link = link(loaded.program(chosen.name()), attach, options.netns())) {
            attach.pin().ifPresent(link::pin);
            Attached attached = new Attached(chosen.name(), attach.hook(), link.id(), attach.pin());
            return new Result(object.name(), verdicts(object, loaded), Optional.of(attached));
        }
    }

    private static BpfLink link(BpfProgram program, Attach attach, Netns netns) {
        return switch (attach.hook()) {
            case XDP -> (BpfLink) Xdp.attach(program, XdpOptions.of(attach.device()).inNetns(netns));
            case TCX_INGRESS -> Tcx.attach(program, TcxOptions.of(attach.device(), Direction.INGRESS).inNetns(netns));
            case TCX_EGRESS -> Tcx.attach(program, TcxOptions.of(attach.device(), Direction.EGRESS).inNetns(netns));
        };
    }

    private static Program choose(Path file, BpfObject object, Attach attach) {
        ProgramType type = attach.hook().programType();
        List<Program> fitting = object.programs().stream().filter(p -> p.type().filter(type::equals).isPresent()).toList();
        List<String> names = fitting.stream().map(Program::name).toList();
        if (attach.program().isPresent()) {
            String wanted = attach.program().get();
            return fitting.stream().filter(p -> p.name().equals(wanted)).findFirst().orElseThrow(() ->
                    new LoadException("no " + type.bpftoolName() + " program named " + wanted + " in " + file
                            + " (has: " + names + ")"));
        }
        if (fitting.size() != 1) {
            throw new LoadException(file + " has " + fitting.size() + " " + type.bpftoolName() + " programs " + names
                    + "; choose one with --program");
        }
        return fitting.getFirst();
    }

    /** Loads the object, keeping going past refusals, and closes everything before returning. */
    private static List<Verdict> verdicts(BpfObject object, LoadOptions options) {
        try (LoadedObject loaded = Loader.load(object, options)) {
            return verdicts(object, loaded);
        }
    }

    private static List<Verdict> verdicts(BpfObject object, LoadedObject loaded) {
        List<Verdict> out = new ArrayList<>();
        for (Program p : object.programs()) {
            String type = p.type().map(t -> ProgramType.nameOf(t.number())).orElse("unknown");
            BpfProgram program = loaded.programs().get(p.name());
            if (program != null) {
                out.add(new Verdict(p.name(), type, true, program.info().bytesXlated() / 8, "", Optional.empty()));
                continue;
            }
            RuntimeException refusal = loaded.rejections().get(p.name());
            Optional<SourceLine> line = refusal instanceof ProgramRejectedException r ? r.sourceLine() : Optional.empty();
            String message = refusal == null ? "not loaded" : Reportable.firstLine(refusal.getMessage());
            out.add(new Verdict(p.name(), type, false, 0, message, line));
        }
        return out;
    }
}

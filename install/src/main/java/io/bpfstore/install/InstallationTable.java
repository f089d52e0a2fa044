package io.bpfstore.install;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.install.api.HookKind;
import io.bpfstore.kernel.link.Direction;
import io.bpfstore.store.manifest.Hook;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import io.bpfstore.bytecode.object.ProgramTypes;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code installation} table: one row per generation of an installation, {@link InstallationState#ACTIVE} or
 * {@link InstallationState#PENDING}, holding the package (its object's bytes too, so any later recomposition can
 * relink it), the hook's {@link HookTarget.Place coordinates} and the install options.
 */
final class InstallationTable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SqlSession sql;

    InstallationTable(SqlSession sql) {
        this.sql = sql;
    }

    /** Inserts a generation of an installation in {@code state}. */
    void insert(Installation i, InstallationState state) {
        ResolvedPackage p = i.pkg();
        HookTarget.Place place = i.target().place();
        sql.update("record generation " + i.generation() + " of " + i.id(), "INSERT INTO installation (id, generation,"
                + " state, repository, name, version, source, digest, object_name, object, hooks, signed_by, hook, iface,"
                + " netns, direction, cgroup, programs, priority, proceed_on, forced, installed_at, tc_mode,"
                + " program_types) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                i.id(), i.generation(), state.label(), p.repository(), p.name(), p.version(), p.source(), p.digest(),
                p.objectName(), p.object(), hooksJson(p.hooks()), p.signedBy().orElse(null), i.target().kind(),
                place.iface().orElse(null), place.netns().orElse(null),
                place.direction().map(d -> d.name().toLowerCase(Locale.ROOT)).orElse(null),
                place.cgroup().map(Path::toString).orElse(null), String.join(",", i.programs()), i.priority(),
                String.join(",", i.proceedOn()), i.forced() ? 1 : 0, i.installedAt().toString(),
                place.legacy().map(legacy -> legacy ? "legacy" : "tcx").orElse(null), typesText(p.types()));
    }

    /** The active installations, by id. */
    List<Installation> active() {
        return select("read the installations", "state = ? ORDER BY id", InstallationState.ACTIVE.label());
    }

    /** The active generation of {@code id}. */
    Optional<Installation> active(String id) {
        return select("read installation " + id, "state = ? AND id = ?", InstallationState.ACTIVE.label(), id)
                .stream().findFirst();
    }

    /** The generation {@code generation} of {@code id}, in whatever state. */
    Optional<Installation> generation(String id, int generation) {
        return select("read generation " + generation + " of " + id, "id = ? AND generation = ?", id, generation)
                .stream().findFirst();
    }

    /** Every id with any row (active or pending). */
    List<String> ids() {
        return sql.query("list the installations", "SELECT DISTINCT id FROM installation ORDER BY id",
                r -> r.getString(1));
    }

    /** Makes {@code generation} the active one of {@code id}, deleting its other generations. */
    void activate(String id, int generation) {
        String what = "activate generation " + generation + " of " + id;
        sql.update(what, "DELETE FROM installation WHERE id = ? AND generation <> ?", id, generation);
        sql.update(what, "UPDATE installation SET state = ? WHERE id = ? AND generation = ?",
                InstallationState.ACTIVE.label(), id, generation);
    }

    /** Deletes one generation of {@code id}. */
    void deleteGeneration(String id, int generation) {
        sql.update("forget generation " + generation + " of " + id,
                "DELETE FROM installation WHERE id = ? AND generation = ?", id, generation);
    }

    /** Deletes every generation of {@code id}. */
    void delete(String id) {
        sql.update("forget installation " + id, "DELETE FROM installation WHERE id = ?", id);
    }

    private List<Installation> select(String what, String where, Object... args) {
        return sql.query(what, "SELECT * FROM installation WHERE " + where, r -> installation(r, what), args);
    }

    private Installation installation(ResultSet r, String what) throws SQLException {
        String id = r.getString("id");
        String where = what + ": row " + id + " generation " + r.getInt("generation");
        ResolvedPackage p = new ResolvedPackage(r.getString("repository"), r.getString("name"), r.getString("version"),
                r.getString("source"), r.getString("digest"), r.getString("object_name"), r.getBytes("object"),
                hooks(r.getString("hooks"), where), Optional.ofNullable(r.getString("signed_by")),
                types(r.getString("program_types"), where));
        String hook = r.getString("hook");
        HookKind kind = Arrays.stream(HookKind.values()).filter(k -> k.label().equals(hook))
                .findFirst().orElseThrow(() -> invalid(where, "unknown hook \"" + hook + "\""));
        HookTarget.Place place = new HookTarget.Place(Optional.ofNullable(r.getString("iface")),
                Optional.ofNullable(r.getString("netns")), Optional.ofNullable(r.getString("direction"))
                .map(d -> direction(d, where)), Optional.ofNullable(r.getString("tc_mode")).map("legacy"::equals),
                Optional.ofNullable(r.getString("cgroup")).map(Path::of));
        HookTarget target;
        try {
            target = HookTarget.of(kind, place);
        } catch (java.util.NoSuchElementException e) {
            throw invalid(where, "a " + kind.label() + " row without its hook's columns");
        }
        Instant installedAt;
        try {
            installedAt = Instant.parse(r.getString("installed_at"));
        } catch (DateTimeParseException e) {
            throw invalid(where, "installed_at \"" + r.getString("installed_at") + "\" is not a time");
        }
        return new Installation(id, p, target, split(r.getString("programs")), r.getInt("priority"),
                split(r.getString("proceed_on")), r.getInt("forced") != 0, r.getInt("generation"), installedAt);
    }

    private Direction direction(String text, String where) {
        try {
            return Direction.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid(where, "direction \"" + text + "\" is neither ingress nor egress");
        }
    }

    private StateException invalid(String where, String problem) {
        return new StateException(sql.file(), where, problem);
    }

    private static List<String> split(String text) {
        return text == null || text.isEmpty() ? List.of() : Arrays.asList(text.split(","));
    }

    /** {@code PROGRAM=TYPE,...} ({@code load --type}'s form), NULL when the package gives no types. */
    private static String typesText(ProgramTypes types) {
        return types.byProgram().isEmpty() ? null : String.join(",", types.byProgram().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().bpftoolName()).toList());
    }

    private ProgramTypes types(String text, String where) {
        try {
            return text == null ? ProgramTypes.NONE : ProgramTypes.parse(Arrays.asList(text.split(",")));
        } catch (IllegalArgumentException e) {
            throw invalid(where, "program_types column: " + e.getMessage());
        }
    }

    private static String hooksJson(List<Hook> hooks) {
        try {
            return JSON.writeValueAsString(hooks.stream().map(h -> Map.of("program", h.program(),
                    "priority", h.priority(), "proceed_on", h.proceedOn())).toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Hook> hooks(String json, String where) {
        try {
            List<Map<String, Object>> raw = JSON.readValue(json, new TypeReference<>() { });
            List<Hook> out = new ArrayList<>();
            for (Map<String, Object> m : raw) {
                @SuppressWarnings("unchecked")
                List<String> proceed = (List<String>) m.get("proceed_on");
                out.add(new Hook((String) m.get("program"), ((Number) m.get("priority")).intValue(), proceed));
            }
            return out;
        } catch (JsonProcessingException | ClassCastException | NullPointerException e) {
            throw invalid(where, "hooks column: " + e.getMessage());
        }
    }
}

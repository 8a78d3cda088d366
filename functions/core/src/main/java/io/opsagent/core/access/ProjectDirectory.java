package io.opsagent.core.access;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.actions.AuditLog;
import io.opsagent.core.actions.AuditRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * The one place projects come from and are changed: those a file declares (read-only here: the file is their source)
 * and those kept in a {@link ProjectStore} (made and changed through the API, the CLI and the admin page).
 *
 * <p>Rules of a change, whoever asks: only a project's admins change it (a non-member is told it does not exist); a
 * project may only be given namespaces its changer administers already (so no one widens their own reach); a project
 * keeps at least one admin; every write is conditional on the version read; every change is an audit record with its
 * actor. Reads are cached for {@link #CACHE} (a process's own writes at once); a request that finds the cache older
 * goes on with it while one re-read runs beside it, so no request waits for the store once the first read is done.
 * A store that cannot be read is not guessed around: after {@link #STALE_LIMIT} without a good read, {@link #current()}
 * waits for a read, and throws {@link ProjectsUnavailable} when it fails (fail closed).
 */
public final class ProjectDirectory {
    public static final Duration CACHE = Duration.ofSeconds(5);
    public static final Duration STALE_LIMIT = Duration.ofMinutes(1);
    private static final Logger LOG = Logger.getLogger("io.opsagent.projects");

    private final Projects declared;
    private final ProjectStore store;
    private final AuditLog audit;
    private final Clock clock;
    private volatile Snapshot cache;

    private record Snapshot(Projects projects, List<ProjectStore.Stored> stored, Instant readAt) {
    }

    /** A project as listed: where it comes from ({@code file} or {@code store}) and its version (0 for a file's). */
    public record Entry(Project project, String source, long version, String updatedBy, Instant updatedAt) {
        public boolean declared() {
            return source.equals("file");
        }
    }

    /**
     * @param declared projects of a file (none: {@code null}); their names cannot be taken by stored ones
     * @param store    where made projects are kept (null: only the declared ones, nothing can be changed)
     * @param audit    where changes are recorded (null: not recorded, e.g. tests)
     */
    public ProjectDirectory(Projects declared, ProjectStore store, AuditLog audit, Clock clock) {
        this.declared = declared == null ? new Projects(List.of()) : declared;
        this.store = store;
        this.audit = audit;
        this.clock = Objects.requireNonNull(clock);
    }

    /** Projects fixed for this process (no store): what a file or a test declares. */
    public static ProjectDirectory fixed(Projects projects) {
        return new ProjectDirectory(projects, null, null, Clock.systemUTC());
    }

    /** Where changes are recorded (null: nowhere). */
    public AuditLog audit() {
        return audit;
    }

    /** Whether projects can be made and changed here (a store is configured). */
    public boolean writable() {
        return store != null;
    }

    /**
     * Puts {@code initial} in the store when it holds no project and no file declares any: the local default on a
     * first start. Returns how many were written.
     */
    public int seedIfEmpty(Projects initial, String by) {
        if (store == null || initial == null || !declared.all().isEmpty() || !store.list().isEmpty()) return 0;
        int n = 0;
        for (Project p : initial.all()) {
            try {
                store.put(p, 0, by, clock.instant());
                n++;
            } catch (ProjectStore.Conflict raced) {
                // another instance seeded it first
            }
        }
        cache = null;
        return n;
    }

    /** Every project now: the declared ones, then the stored ones. */
    public Projects current() {
        return snapshot().projects();
    }

    /** Every project with its source and version. */
    public List<Entry> entries() {
        Snapshot s = snapshot();
        List<Entry> out = new ArrayList<>();
        for (Project p : declared.all()) out.add(new Entry(p, "file", 0, null, null));
        for (ProjectStore.Stored st : s.stored()) out.add(new Entry(st.project(), "store", st.version(), st.updatedBy(), st.updatedAt()));
        return out;
    }

    private Snapshot snapshot() {
        Snapshot s = cache;
        Instant now = clock.instant();
        if (store == null) {
            if (s == null) cache = s = new Snapshot(declared, List.of(), now);
            return s;
        }
        if (s != null && now.isBefore(s.readAt().plus(CACHE))) return s;
        if (s != null && now.isBefore(s.readAt().plus(STALE_LIMIT))) {
            // older than the cache, within the stale limit: this request goes on with it, a re-read runs beside it
            refreshBeside();
            return s;
        }
        try {
            return reload();
        } catch (RuntimeException e) {
            if (s != null && now.isBefore(s.readAt().plus(STALE_LIMIT))) {
                LOG.warning("projects not re-read (" + e + "): using those read at " + s.readAt());
                return s;
            }
            LOG.severe("projects cannot be read, nothing is shown until they can: " + e);
            throw new ProjectsUnavailable(e);
        }
    }

    private final java.util.concurrent.atomic.AtomicBoolean refreshing = new java.util.concurrent.atomic.AtomicBoolean();

    /** One re-read at a time, off the request's path; a failure keeps what was read (until the stale limit). */
    private void refreshBeside() {
        if (!refreshing.compareAndSet(false, true)) return;
        Thread t = new Thread(() -> {
            try {
                reload();
            } catch (RuntimeException e) {
                LOG.warning("projects not re-read (" + e + "): using those read at " + (cache == null ? "?" : cache.readAt()));
            } finally {
                refreshing.set(false);
            }
        }, "opsagent-projects-refresh");
        t.setDaemon(true);
        t.start();
    }

    private synchronized Snapshot reload() {
        List<ProjectStore.Stored> stored = new ArrayList<>();
        for (ProjectStore.Stored st : store.list()) {
            if (declared.named(st.project().name()).isEmpty()) stored.add(st); // a file's name wins
        }
        List<Project> all = new ArrayList<>(declared.all());
        stored.forEach(st -> all.add(st.project()));
        Snapshot s = new Snapshot(new Projects(all, declared.userGroups()), List.copyOf(stored), clock.instant());
        cache = s;
        return s;
    }

    /** Makes {@code project}; the caller becomes its admin when it names none. */
    public Entry create(String user, Collection<String> groups, Project project) {
        writableOrRefuse();
        Projects now = current();
        if (now.named(project.name()).isPresent()) {
            throw new ProjectRefused(ProjectRefused.Why.CONFLICT, "a project called " + project.name() + " exists already");
        }
        requireAdministers(now, user, groups, project.namespaces(), project.name());
        Project p = project.hasAdmin() ? project : project.withMember(false, user, Role.ADMIN);
        ProjectStore.Stored st = write(p, 0, user, "project " + p.name() + " was made meanwhile");
        ObjectNode d = detail(p);
        d.set("after", p.toJson());
        record("project-created", user, p, d);
        return entry(st);
    }

    /**
     * Replaces {@code name}'s namespaces and members with {@code changed}'s, if it is still at {@code version}.
     */
    public Entry update(String user, Collection<String> groups, String name, long version, Project changed) {
        ProjectStore.Stored st = administered(user, groups, name);
        if (st.version() != version) throw stale(name, st.version(), version);
        if (!changed.name().equals(name)) {
            throw new ProjectRefused(ProjectRefused.Why.INVALID, "name: a project cannot be renamed (" + name + " → " + changed.name() + ")");
        }
        List<String> added = changed.namespaces().stream().filter(n -> !st.project().namespaces().contains(n)).toList();
        requireAdministers(current(), user, groups, added, name);
        requireAdmin(changed);
        ProjectStore.Stored next = write(changed, version, user, null);
        ObjectNode d = detail(changed).put("fromVersion", version);
        d.set("before", st.project().toJson());
        d.set("after", changed.toJson());
        record("project-changed", user, changed, d);
        return entry(next);
    }

    /**
     * Gives {@code member} (a user, or a group when {@code group}) {@code role} in {@code name} (null: removes them).
     * Retries on a concurrent write to another member (the change is about one member only).
     */
    public Entry setMember(String user, Collection<String> groups, String name, boolean group, String member, Role role) {
        if (!Projects.memberName(member)) {
            throw new ProjectRefused(ProjectRefused.Why.INVALID, (group ? "group" : "user") + ": '" + clip(member)
                    + "' is not a member name (1 to 128 characters, no spaces)");
        }
        return changing(user, groups, name, before -> {
            Map<String, Role> members = group ? before.groups() : before.users();
            Role was = members.get(member);
            if (role == null && was == null) {
                throw new ProjectRefused(ProjectRefused.Why.NOT_FOUND, (group ? "group " : "user ") + member + " is not a member of " + name);
            }
            Project changed = before.withMember(group, member, role);
            requireAdmin(changed);
            return changed;
        }, (before, changed) -> {
            ObjectNode d = detail(changed).put(group ? "group" : "user", member);
            Role was = (group ? before.groups() : before.users()).get(member);
            if (was != null) d.put("from", was.json());
            if (role != null) d.put("role", role.json());
            record(role == null ? "member-removed" : "member-set", user, changed, d);
        });
    }

    /**
     * One change of the stored project {@code name} its admin {@code user} makes: read, changed, written on the version
     * read, audited; retried when another write came first (a change is about itself only), 409 after five tries.
     */
    private Entry changing(String user, Collection<String> groups, String name, java.util.function.UnaryOperator<Project> change,
                           java.util.function.BiConsumer<Project, Project> audited) {
        for (int attempt = 0; ; attempt++) {
            ProjectStore.Stored st = administered(user, groups, name);
            Project changed = change.apply(st.project());
            try {
                ProjectStore.Stored next = store.put(changed, st.version(), user, clock.instant());
                cache = null;
                audited.accept(st.project(), changed);
                return entry(next);
            } catch (ProjectStore.Conflict raced) {
                cache = null;
                if (attempt >= 4) throw new ProjectRefused(ProjectRefused.Why.CONFLICT, raced.getMessage() + ": try again");
            }
        }
    }

    /** Sets {@code name}'s budget (null: none), audited with the old and the new one. */
    public Entry setBudget(String user, Collection<String> groups, String name, io.opsagent.core.budget.Budget budget) {
        return changing(user, groups, name, before -> before.withBudget(budget), (before, changed) -> {
            ObjectNode d = detail(changed);
            if (before.budget() != null) d.set("from", Project.budgetJson(before.budget()));
            if (changed.budget() != null) d.set("budget", Project.budgetJson(changed.budget()));
            record("budget-set", user, changed, d);
        });
    }

    /** Deletes {@code name} if it is still at {@code version}. */
    public void delete(String user, Collection<String> groups, String name, long version) {
        ProjectStore.Stored st = administered(user, groups, name);
        if (st.version() != version) throw stale(name, st.version(), version);
        try {
            store.delete(name, version);
        } catch (ProjectStore.Conflict raced) {
            cache = null;
            throw new ProjectRefused(ProjectRefused.Why.CONFLICT, raced.getMessage() + ": read it again");
        }
        cache = null;
        ObjectNode d = detail(st.project()).put("version", version);
        d.set("before", st.project().toJson());
        record("project-deleted", user, st.project(), d);
    }

    /** The stored project {@code name} the caller administers; refusals as the class says. */
    private ProjectStore.Stored administered(String user, Collection<String> groups, String name) {
        writableOrRefuse();
        cache = null; // a change reads what is stored now
        Projects now = current();
        Project p = now.named(name).orElse(null);
        Role role = p == null ? null : p.roleOf(user, groups);
        if (role == null) throw new ProjectRefused(ProjectRefused.Why.NOT_FOUND, "no project " + clip(name));
        if (role != Role.ADMIN) {
            throw new ProjectRefused(ProjectRefused.Why.FORBIDDEN, user + " is " + role.json() + " in project " + name
                    + ": changing it needs admin");
        }
        if (declared.named(name).isPresent()) {
            throw new ProjectRefused(ProjectRefused.Why.CONFLICT, "project " + name
                    + " is declared in the projects file (OPSAGENT_PROJECTS_FILE): change it there");
        }
        return store.get(name).orElseThrow(() -> new ProjectRefused(ProjectRefused.Why.NOT_FOUND, "no project " + clip(name)));
    }

    private void requireAdministers(Projects now, String user, Collection<String> groups, List<String> namespaces, String project) {
        List<String> not = namespaces.stream().filter(n -> !now.administers(user, groups, n)).toList();
        if (!not.isEmpty()) {
            throw new ProjectRefused(ProjectRefused.Why.FORBIDDEN, "namespaces " + String.join(", ", not) + ": " + user
                    + " administers no project that holds them, so cannot give them to " + project);
        }
    }

    private static void requireAdmin(Project p) {
        if (!p.hasAdmin()) {
            throw new ProjectRefused(ProjectRefused.Why.CONFLICT, "project " + p.name()
                    + " would have no admin left: make another member admin first");
        }
    }

    private ProjectStore.Stored write(Project p, long version, String user, String takenMessage) {
        try {
            ProjectStore.Stored st = store.put(p, version, user, clock.instant());
            cache = null;
            return st;
        } catch (ProjectStore.Conflict raced) {
            cache = null;
            throw new ProjectRefused(ProjectRefused.Why.CONFLICT, takenMessage != null ? takenMessage : raced.getMessage() + ": read it again");
        }
    }

    private static ProjectRefused stale(String name, long stored, long given) {
        return new ProjectRefused(ProjectRefused.Why.CONFLICT, "project " + name + " is at version " + stored + ", not "
                + given + ": someone changed it since you read it; read it again");
    }

    private void writableOrRefuse() {
        if (store == null) {
            throw new ProjectRefused(ProjectRefused.Why.CONFLICT, "projects are fixed here (declared in a file, or off): "
                    + "nothing can be changed through OpsAgent");
        }
    }

    private static ObjectNode detail(Project p) {
        ObjectNode d = JsonNodeFactory.instance.objectNode().put("project", p.name());
        p.namespaces().forEach(d.putArray("namespaces")::add);
        return d;
    }

    /** An audit record of a change that was made; one that cannot be written is logged (the change stands). */
    private void record(String type, String actor, Project p, ObjectNode detail) {
        if (audit == null) return;
        try {
            audit.append(new AuditRecord.Entry(type, actor, null, null, null, detail));
        } catch (RuntimeException e) {
            LOG.severe(type + " of project " + p.name() + " by " + actor + " was made but not audited: " + e);
        }
    }

    private static Entry entry(ProjectStore.Stored st) {
        return new Entry(st.project(), "store", st.version(), st.updatedBy(), st.updatedAt());
    }

    private static String clip(String s) {
        return s == null ? "" : s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}

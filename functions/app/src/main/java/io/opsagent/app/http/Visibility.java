package io.opsagent.app.http;

import io.opsagent.core.access.Projects;
import io.opsagent.core.access.Role;

/**
 * What a caller may see, by project ({@link Projects}, held by the engine; none: everything). A namespace outside the
 * caller's projects does not exist for them: 404, the same answer as for one that does not exist.
 */
final class Visibility {
    private Visibility() {
    }

    static Projects projects(AppContext app) {
        return app.engine().projects();
    }

    static boolean sees(AppContext app, Request r, String namespace) {
        Projects p = projects(app);
        return p == null || p.sees(r.user(), r.groups(), namespace);
    }

    /** The caller's role in {@code namespace}; {@link Role#ADMIN} without projects; null when they do not see it. */
    static Role role(AppContext app, Request r, String namespace) {
        Projects p = projects(app);
        return p == null ? Role.ADMIN : p.role(r.user(), r.groups(), namespace);
    }

    /** 404 with {@code message} when the caller does not see {@code namespace}. */
    static void require(AppContext app, Request r, String namespace, String message) {
        if (!sees(app, r, namespace)) throw ApiError.notFound(message);
    }

    /**
     * With projects: 404 when the caller does not see {@code namespace}, 403 naming their role and the one needed when
     * it is below {@code least} (audited when this OpsAgent keeps an audit log). Without projects: nothing.
     */
    static void requireRole(AppContext app, Request r, String namespace, Role least, String what) {
        Role role = role(app, r, namespace);
        if (role == null) throw ApiError.notFound("no namespace " + Params.clip(namespace, 63));
        if (role.atLeast(least)) return;
        if (app.actions() != null && app.actions().audit() != null) {
            try {
                app.actions().audit().append(new io.opsagent.core.actions.AuditRecord.Entry("request-denied", r.user(), null,
                        namespace, null, io.opsagent.core.actions.AuditRecord.detail("what", what, "role", role.json(),
                        "needs", least.json())));
            } catch (RuntimeException e) {
                HttpLog.warn(r.correlation(), "denial not audited: " + e);
            }
        }
        throw new ApiError(403, r.user() + " is " + role.json() + " in namespace " + namespace + "'s project: to " + what
                + " needs " + least.json() + " or above", null);
    }

    /** Whether the caller administers a project (or there are none): alerts about no namespace are theirs to see. */
    static boolean admin(AppContext app, Request r) {
        Projects p = projects(app);
        return p == null || p.admin(r.user(), r.groups());
    }

    /**
     * Whether the caller sees what concerns {@code workload} ({@code ns/name}, or null): its namespace's projects' members;
     * for what names no namespace (a node's alert, a cluster-wide check), admins only.
     */
    static boolean seesWorkload(AppContext app, Request r, String workload) {
        String ns = namespaceOf(workload);
        return ns == null ? admin(app, r) : sees(app, r, ns);
    }

    /** The namespace of {@code ns/name} or {@code ns/*} (null for none). */
    static String namespaceOf(String workload) {
        if (workload == null) return null;
        int slash = workload.indexOf('/');
        return slash <= 0 ? null : workload.substring(0, slash);
    }
}

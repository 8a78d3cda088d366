package io.opsagent.app.http;

import io.opsagent.core.agent.ConversationEngine;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.redact.Redactor;
import io.opsagent.core.tools.SnapshotProvider;
import io.opsagent.core.runs.Instances;
import io.opsagent.core.runs.RunReaper;
import io.opsagent.core.runs.RunStore;
import io.opsagent.core.runs.SessionStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What the HTTP application serves from.
 *
 * @param cluster   the cluster the workloads API and the engine read (the same one the engine's tools see)
 * @param inputDir  the dump or evidence directory citations refer to (for {@code /api/evidence}), or null
 * @param webDir    the web UI's files, or null (then {@code /} answers a short page pointing at the API)
 * @param heartbeat how often an idle chat stream gets a keep-alive comment
 * @param auth      who is calling: the {@value Users#HEADER} header locally, a verified JWT in AWS
 * @param reaper    ends runs no live server owns (on read, by a periodic sweep, on cancel); default: not exclusive,
 *                  a run orphaned {@value #DEFAULT_MAX_RUN_MINUTES} minutes after its start or
 *                  {@value #DEFAULT_STALE_MINUTES} minutes after its last heartbeat
 * @param policy    what requests are refused before routing (Host, Origin, Content-Type); default: the local
 *                  server's ({@link HttpPolicy#local}: loopback hosts, its own origin)
 * @param actions   write actions and their approvals, or null when the cluster cannot be changed (a dump)
 * @param changes   the change chain (validate → evidence → approval → execute → monitor), or null without one
 * @param alerts    the alert intake and its webhook token (null token: the webhook route is off), or null
 */
public record AppContext(ConversationEngine engine, RunStore runs, SessionStore sessions, SnapshotProvider cluster,
                         Path inputDir, Path webDir, Redactor redactor, Duration heartbeat, Authenticator auth,
                         RunReaper reaper, HttpPolicy policy, io.opsagent.core.actions.ActionService actions,
                         io.opsagent.core.changes.ChangeService changes, Alerts alerts) {
    /** The alert intake of this application, and the bearer token Alertmanager's webhook must send (null: the route is off). */
    public record Alerts(io.opsagent.core.alerts.AlertService service, java.util.concurrent.atomic.AtomicReference<String> tokenRef,
                         Duration waitForInvestigations, java.util.concurrent.atomic.AtomicReference<String> hmacRef) {
        public Alerts(io.opsagent.core.alerts.AlertService service, java.util.concurrent.atomic.AtomicReference<String> tokenRef) {
            this(service, tokenRef, null);
        }

        public Alerts(io.opsagent.core.alerts.AlertService service, java.util.concurrent.atomic.AtomicReference<String> tokenRef,
                      Duration waitForInvestigations) {
            this(service, tokenRef, waitForInvestigations, new java.util.concurrent.atomic.AtomicReference<>());
        }

        /** The HMAC-SHA256 key a sender may sign the body with instead of a bearer token, or null. */
        public String hmacSecret() {
            return hmacRef.get();
        }

        /** The configured token, or null. */
        public String token() {
            return tokenRef.get();
        }

        /**
         * Waits (at most {@link #waitForInvestigations}, when set: a Lambda function is frozen once it answered) for the
         * investigations a delivery opened.
         */
        public void settle() {
            if (waitForInvestigations != null
                    && service.investigator() instanceof io.opsagent.app.config.EngineInvestigator inv) {
                inv.drain(waitForInvestigations);
            }
        }
    }

    public AppContext(ConversationEngine engine, RunStore runs, SessionStore sessions, SnapshotProvider cluster,
                      Path inputDir, Path webDir, Redactor redactor, Duration heartbeat, Authenticator auth,
                      RunReaper reaper, HttpPolicy policy, io.opsagent.core.actions.ActionService actions,
                      io.opsagent.core.changes.ChangeService changes) {
        this(engine, runs, sessions, cluster, inputDir, webDir, redactor, heartbeat, auth, reaper, policy, actions, changes, null);
    }

    /** The same context with an alert intake. */
    public AppContext withAlerts(Alerts a) {
        return new AppContext(engine, runs, sessions, cluster, inputDir, webDir, redactor, heartbeat, auth, reaper, policy,
                actions, changes, a);
    }
    public static final int DEFAULT_MAX_RUN_MINUTES = 15;
    public static final int DEFAULT_STALE_MINUTES = 5;

    public AppContext(ConversationEngine engine, RunStore runs, SessionStore sessions, SnapshotProvider cluster,
                      Path inputDir, Path webDir, Redactor redactor, Duration heartbeat, Authenticator auth) {
        this(engine, runs, sessions, cluster, inputDir, webDir, redactor, heartbeat, auth, null, null, null, null);
    }

    public AppContext(ConversationEngine engine, RunStore runs, SessionStore sessions, SnapshotProvider cluster,
                      Path inputDir, Path webDir, Redactor redactor, Duration heartbeat, Authenticator auth,
                      RunReaper reaper, HttpPolicy policy) {
        this(engine, runs, sessions, cluster, inputDir, webDir, redactor, heartbeat, auth, reaper, policy, null, null);
    }

    public AppContext {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(runs, "runs");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(cluster, "cluster");
        redactor = redactor == null ? Redactor.standard() : redactor;
        heartbeat = heartbeat == null ? Duration.ofSeconds(15) : heartbeat;
        auth = auth == null ? Authenticator.LOCAL_HEADER : auth;
        reaper = reaper == null ? new RunReaper(runs, java.time.Clock.systemUTC(), Instances.current(), false,
                Duration.ofMinutes(DEFAULT_MAX_RUN_MINUTES), Duration.ofMinutes(DEFAULT_STALE_MINUTES)) : reaper;
        policy = policy == null ? HttpPolicy.local(null, null) : policy;
    }

    /** The same context with another request policy (e.g. a server behind a proxy that routes by host). */
    public AppContext withPolicy(HttpPolicy p) {
        return new AppContext(engine, runs, sessions, cluster, inputDir, webDir, redactor, heartbeat, auth, reaper, p, actions,
                changes, alerts);
    }

    /** The cluster state now (a fixed snapshot for a dump or evidence; read from the API for a live cluster). */
    public ClusterSnapshot snapshot() {
        return cluster.snapshot();
    }

    /** The web directory of a checkout: {@code web/dist} if present, else {@code web/}, else null. */
    public static Path findWebDir(Path root) {
        Path dist = root.resolve("web/dist");
        if (java.nio.file.Files.isRegularFile(dist.resolve("index.html"))) return dist;
        Path web = root.resolve("web");
        return java.nio.file.Files.isDirectory(web) ? web : null;
    }
}

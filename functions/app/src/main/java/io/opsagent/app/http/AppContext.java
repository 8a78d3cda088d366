package io.opsagent.app.http;

import io.opsagent.core.agent.ConversationEngine;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.redact.Redactor;
import io.opsagent.core.tools.SnapshotProvider;
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
 */
public record AppContext(ConversationEngine engine, RunStore runs, SessionStore sessions, SnapshotProvider cluster,
                         Path inputDir, Path webDir, Redactor redactor, Duration heartbeat, Authenticator auth) {
    public AppContext {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(runs, "runs");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(cluster, "cluster");
        redactor = redactor == null ? Redactor.standard() : redactor;
        heartbeat = heartbeat == null ? Duration.ofSeconds(15) : heartbeat;
        auth = auth == null ? Authenticator.LOCAL_HEADER : auth;
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

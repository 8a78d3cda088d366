package io.opsagent.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.opsagent.adapters.kubernetes.PodLogSource;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.cluster.LogLine;
import io.opsagent.core.logs.search.LogQuery;
import io.opsagent.core.logs.search.LogSource;
import io.opsagent.core.redact.Redactor;
import io.opsagent.core.tools.SnapshotProvider;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Opens a live cluster's citation: {@code api:<REST path>[:field path]} for an object (as the caller's current view
 * of the cluster holds it, redacted) and {@code api:/api/v1/namespaces/NS/pods/P/log?container=C[&previous=true]:N}
 * for a pod log line (from the logs read with the snapshot, else from the pod log API). Secrets are never shown.
 */
final class ApiEvidence {
    static final String PREFIX = "api:";
    private static final Pattern LOG = Pattern.compile(
            "/api/v1/namespaces/([a-z0-9.-]{1,253})/pods/([a-z0-9.-]{1,253})/log\\?container=([a-z0-9-]{1,63})(&previous=true)?");
    private static final Pattern OBJECT = Pattern.compile("/(api|apis)/[A-Za-z0-9./-]{1,600}");

    private final SnapshotProvider cluster;
    private final Redactor redactor;

    ApiEvidence(SnapshotProvider cluster, Redactor redactor) {
        this.cluster = cluster;
        this.redactor = redactor;
    }

    ObjectNode resolve(String ref, int context) throws IOException {
        String rest = ref.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        String path = colon < 0 ? rest : rest.substring(0, colon);
        String location = colon < 0 ? "" : rest.substring(colon + 1);
        if (path.toLowerCase(Locale.ROOT).contains("/secrets")) {
            throw new ApiError(403, "Secrets are never shown", "ref");
        }
        ObjectNode out = Json.object().put("ref", ref).put("file", PREFIX + path);
        Matcher log = LOG.matcher(path);
        if (log.matches()) {
            if (!EvidenceResolver.LINE.matcher(location).matches()) {
                throw ApiError.badRequest("ref", "a pod log reference ends with a line number, e.g. " + PREFIX + path + ":12");
            }
            List<String> lines = logLines(log.group(1), log.group(2), log.group(3), log.group(4) != null, PREFIX + path)
                    .orElseThrow(() -> ApiError.notFound("the log " + PREFIX + path + " cannot be read now "
                            + "(the pod or container may be gone)"));
            return EvidenceResolver.lines(out, redactor.redactDocument(lines), Integer.parseInt(location), context);
        }
        if (!OBJECT.matcher(path).matches() || path.contains("..") || path.contains("//")) {
            throw ApiError.badRequest("ref", "not a Kubernetes API reference: " + PREFIX + path);
        }
        ClusterSnapshot snapshot = WorkloadRoutes.read(cluster);
        HasMetadata object = snapshot.objects().filter(o -> (PREFIX + path).equals(snapshot.origin(o).file()))
                .findFirst().orElseThrow(() -> ApiError.notFound("no object at " + PREFIX + path
                        + " in the cluster now (it may have been deleted, or is not readable)"));
        if ("Secret".equals(object.getKind())) throw new ApiError(403, "Secrets are never shown", "ref");
        JsonNode doc = Json.MAPPER.valueToTree(object);
        return EvidenceResolver.field(out, doc, location, redactor);
    }

    /** The lines of one container log: read with the snapshot, else from the pod log API. */
    private Optional<List<String>> logLines(String ns, String pod, String container, boolean previous, String file) {
        ClusterSnapshot snapshot = WorkloadRoutes.read(cluster);
        Optional<ContainerLog> held = snapshot.logsFor(ns, pod, container).stream()
                .filter(l -> file.equals(l.file())).findFirst();
        if (held.isEmpty()) {
            LogSource logs = cluster.logs();
            if (!(logs instanceof PodLogSource)) return Optional.empty();
            LogQuery q = LogQuery.builder().namespace(ns).pod(pod).container(container).previous(previous).build();
            try (Stream<ContainerLog> all = logs.logs(q)) {
                held = all.filter(l -> file.equals(l.file())).findFirst();
            } catch (RuntimeException e) {
                throw new ApiError(502, "the log " + file + " could not be read: " + Workloads.firstLine(e.getMessage()), null);
            }
        }
        return held.map(l -> l.lines().stream().map(LogLine::text).toList());
    }
}

package io.opsagent.adapters.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.URLUtils;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.cluster.LogLine;
import io.opsagent.core.logs.search.LogQuery;
import io.opsagent.core.logs.search.LogSource;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@link LogSource} reading pod logs through the Kubernetes API ({@code GET .../pods/P/log}), for the local mode.
 * The query's namespace, pod or workload, container and previous flag choose the logs; its {@code from} becomes
 * {@code sinceTime}, and a query with a time range asks for timestamps ({@code timestamps=true}: each line starts with
 * the kubelet's RFC 3339 time) so that lines can be filtered by time. Each log is bounded by {@code tailLines} and
 * {@code limitBytes}; at most {@code maxLogs} container logs are fetched per query.
 *
 * <p>A log's file is {@code api:/api/v1/namespaces/NS/pods/P/log?container=C} (plus {@code &previous=true}), so a
 * line is cited as {@code api:/api/v1/namespaces/NS/pods/P/log?container=C:12}; line numbers count from the first
 * line returned (the tail), not from the container's start.
 */
public final class PodLogSource implements LogSource {

    /** Bounds on what one query fetches. */
    public record Limits(int tailLines, int limitBytes, int maxLogs) {
        /** 2,000 lines, 1 MiB per container log, 50 logs per query. */
        public static final Limits DEFAULT = new Limits(2_000, 1 << 20, 50);

        public Limits {
            if (tailLines < 1 || limitBytes < 1 || maxLogs < 1) {
                throw new IllegalArgumentException("log limits must be positive: tailLines=" + tailLines
                        + ", limitBytes=" + limitBytes + ", maxLogs=" + maxLogs);
            }
        }
    }

    /** How long one log read may take before it is given up (a pod on a node that does not answer). */
    public static final java.time.Duration READ_TIMEOUT = java.time.Duration.ofSeconds(5);

    private final KubernetesClient client;
    private final String defaultNamespace;
    private final Limits limits;
    /** The client's HTTP client without retries: a log that cannot be read is reported, not retried with growing delays. */
    private final HttpClient http;
    private final java.time.Duration readTimeout;

    /** @param defaultNamespace read when the query names none; null reads every namespace */
    public PodLogSource(KubernetesClient client, String defaultNamespace, Limits limits) {
        this(client, defaultNamespace, limits, READ_TIMEOUT);
    }

    /** @param readTimeout how long one log read may take */
    public PodLogSource(KubernetesClient client, String defaultNamespace, Limits limits, java.time.Duration readTimeout) {
        this.client = client;
        this.defaultNamespace = defaultNamespace;
        this.limits = limits;
        this.readTimeout = readTimeout;
        this.http = client.getHttpClient().newBuilder().tag(new io.fabric8.kubernetes.client.RequestConfigBuilder(
                client.getConfiguration().getRequestConfig()).withRequestRetryBackoffLimit(0).build()).build();
    }


    @Override
    public Stream<ContainerLog> logs(LogQuery query) {
        String ns = query.namespace() != null ? query.namespace() : defaultNamespace;
        List<Pod> pods = ns == null ? client.pods().inAnyNamespace().list().getItems()
                : client.pods().inNamespace(ns).list().getItems();
        List<ContainerLog> out = new ArrayList<>();
        for (Pod pod : pods) {
            if (out.size() >= limits.maxLogs()) {
                break;
            }
            out.addAll(logsOf(pod, query, limits.maxLogs() - out.size()));
        }
        return out.stream();
    }

    /**
     * The logs of one pod already read (every container; the previous instance too where it restarted) that
     * {@code query} scopes in, at most {@code max} of them.
     */
    public List<ContainerLog> logsOf(Pod pod, LogQuery query, int max) {
        return logsOf(pod, query, max, null);
    }

    /**
     * As {@link #logsOf(Pod, LogQuery, int)}; with {@code gaps} not null, a log that cannot be read (the node does not
     * answer or serve it, the server fails, the read times out) is added to {@code gaps} with the reason and the
     * pod's other logs are still read.
     */
    public List<ContainerLog> logsOf(Pod pod, LogQuery query, int max, List<io.opsagent.core.cluster.LogGap> gaps) {
        List<ContainerLog> out = new ArrayList<>();
        for (String container : containers(pod)) {
            for (boolean previous : new boolean[] {false, true}) {
                if (out.size() >= max) {
                    return out;
                }
                ContainerLog probe = new ContainerLog(pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                        container, previous, "", List.of());
                if (!query.matchesScope(probe) || (previous && !hasPrevious(pod, container))) {
                    continue;
                }
                String text;
                try {
                    text = fetch(pod, container, previous, query);
                } catch (KubernetesClientException e) {
                    if (gaps == null) throw e;
                    gaps.add(new io.opsagent.core.cluster.LogGap(probe.namespace(), probe.pod(), container, previous,
                            file(probe.namespace(), probe.pod(), container, previous), e.getMessage()));
                    continue;
                }
                if (text != null) {
                    out.add(new ContainerLog(probe.namespace(), probe.pod(), container, previous,
                            file(probe.namespace(), probe.pod(), container, previous), lines(text)));
                }
            }
        }
        return out;
    }

    /** The limits this source applies. */
    public Limits limits() {
        return limits;
    }

    @Override
    public String describe() {
        return "Kubernetes API pod logs (" + (defaultNamespace == null ? "all namespaces" : defaultNamespace) + ")";
    }

    /** The citation file of a container log. */
    public static String file(String namespace, String pod, String container, boolean previous) {
        return "api:" + logPath(namespace, pod) + "?container=" + container + (previous ? "&previous=true" : "");
    }

    /** The API path of a pod's log endpoint. */
    private static String logPath(String namespace, String pod) {
        return "/api/v1/namespaces/" + namespace + "/pods/" + pod + "/log";
    }

    /**
     * One container log, or null when there is none (400: the container has not started; 404: no such pod or no
     * previous instance). Read with the client's own HTTP client (its authentication, token refresh and
     * impersonation) rather than fabric8's {@code getLog()}, which first waits for the pod to become ready: a
     * list and a watch of the pod per log read, for the pods worth reading (the not-ready ones) to no purpose.
     * The parameters are those {@code getLog()} sends; the previous instance's log is bounded by its tail only (the
     * DSL allows {@code limitBytes} or {@code previous}, not both) and then cut at {@code limitBytes} characters.
     */
    private String fetch(Pod pod, String container, boolean previous, LogQuery query) {
        String namespace = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        StringBuilder path = new StringBuilder(logPath(namespace, name)).append("?pretty=false&container=")
                .append(container);
        if (previous) path.append("&previous=true");
        if (query.from() != null) path.append("&sinceTime=").append(query.from());
        path.append("&tailLines=").append(limits.tailLines());
        if (!previous) path.append("&limitBytes=").append(limits.limitBytes());
        // with a time range, ask for timestamps so the search can filter lines by time
        if (query.from() != null || query.to() != null) path.append("&timestamps=true");
        String what = "reading log of " + namespace + "/" + name + " container " + container;
        HttpRequest.Builder request = http.newHttpRequestBuilder()
                .uri(URLUtils.join(client.getMasterUrl().toString(), path.toString()))
                .timeout(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
        HttpResponse<String> response;
        java.util.concurrent.CompletableFuture<HttpResponse<String>> pending = http.sendAsync(request.build(), String.class);
        try {
            // the whole body: the server bounds it (limitBytes, tailLines); fabric8's streamed bodies were several
            // times slower per read here
            response = pending.get(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new KubernetesClientException(what + " was interrupted", e);
        } catch (java.util.concurrent.TimeoutException e) {
            pending.cancel(true);
            throw new KubernetesClientException("no answer within " + readTimeout.toSeconds() + " s", 504, null);
        } catch (ExecutionException e) {
            throw new KubernetesClientException(String.valueOf(e.getCause().getMessage()), e.getCause());
        }
        String text = response.body() == null ? "" : response.body();
        if (response.code() == 404 && !previous && text.contains("could not find the requested resource")) {
            // the pod is there, but nothing serves its log (the node's log endpoint): unavailable, not empty
            throw new KubernetesClientException("the node does not serve the log (HTTP 404)", 404, null);
        }
        if (response.code() == 400 || response.code() == 404) {
            return null; // container not started yet, or no previous instance
        }
        if (!response.isSuccessful()) {
            throw new KubernetesClientException("HTTP " + response.code() + " from the API server: "
                    + firstLine(text), response.code(), null);
        }
        return text.length() > limits.limitBytes() ? text.substring(0, limits.limitBytes()) : text;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper STATUS_JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** The message of an API server's Status body (or the text itself), its first line, at most 200 characters. */
    private static String firstLine(String text) {
        String t = text.strip();
        try {
            com.fasterxml.jackson.databind.JsonNode j = STATUS_JSON.readTree(t);
            if (j != null && j.hasNonNull("message")) t = j.get("message").asText();
        } catch (java.io.IOException | RuntimeException e) {
            // not a Status object: the text itself
        }
        int nl = t.indexOf('\n');
        if (nl >= 0) t = t.substring(0, nl);
        return t.length() > 200 ? t.substring(0, 200) + "…" : t;
    }

    private static List<String> containers(Pod pod) {
        List<String> names = new ArrayList<>();
        if (pod.getSpec() != null) {
            if (pod.getSpec().getInitContainers() != null) {
                pod.getSpec().getInitContainers().forEach(c -> names.add(c.getName()));
            }
            if (pod.getSpec().getContainers() != null) {
                pod.getSpec().getContainers().forEach(c -> names.add(c.getName()));
            }
        }
        return names;
    }

    private static boolean hasPrevious(Pod pod, String container) {
        if (pod.getStatus() == null) return false;
        List<ContainerStatus> all = new ArrayList<>();
        if (pod.getStatus().getContainerStatuses() != null) all.addAll(pod.getStatus().getContainerStatuses());
        if (pod.getStatus().getInitContainerStatuses() != null) all.addAll(pod.getStatus().getInitContainerStatuses());
        return all.stream().anyMatch(s -> container.equals(s.getName())
                && ((s.getRestartCount() != null && s.getRestartCount() > 0)
                || (s.getLastState() != null && s.getLastState().getTerminated() != null)));
    }

    private static List<LogLine> lines(String text) {
        List<LogLine> lines = new ArrayList<>();
        int n = 0;
        for (String line : text.split("\r?\n", -1)) {
            n++;
            lines.add(new LogLine(n, line));
        }
        if (!lines.isEmpty() && lines.get(lines.size() - 1).text().isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }
}

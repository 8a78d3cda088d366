package io.opsagent.core.logs.search;

import io.opsagent.core.cluster.ContainerLog;
import java.util.stream.Stream;

/**
 * Port: where container logs come from (a cluster dump or pasted evidence, later the Kubernetes API or CloudWatch
 * Logs Insights). A source returns the logs in the scope of a query; it may use the query's other filters to
 * narrow what it fetches (e.g. a server-side time range or keyword), but {@link LogSearch} applies every filter
 * again, so a source that ignores them is still correct.
 *
 * <p>Each {@link ContainerLog} names its namespace, pod, container and whether it is the previous instance, and its
 * {@code file} plus a line number cites a line ({@code ContainerLog.ref}); for a remote source the file is the
 * stream's name.
 */
public interface LogSource {

    /**
     * The logs that may hold matches for {@code query}: at least every log whose namespace, pod/workload, container
     * and previous flag satisfy {@link LogQuery#matchesScope}. The stream is consumed once and closed by the caller.
     */
    Stream<ContainerLog> logs(LogQuery query);

    /** A short description of the source for messages, e.g. the dump directory. */
    String describe();
}

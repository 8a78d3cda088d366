package io.opsagent.core.cluster;

/**
 * A container log that could not be read (the node did not answer, the server refused, the read ran out of time):
 * said in the findings about its pod, so a missing log is never taken for a clean one.
 *
 * @param ref    where the log would have been read, e.g. {@code api:/api/v1/namespaces/NS/pods/P/log?container=C}
 * @param reason why not, e.g. {@code HTTP 500 from the API server} or {@code no answer within 5 s}
 */
public record LogGap(String namespace, String pod, String container, boolean previous, String ref, String reason) {

    /** One line: {@code logs of pod shop/web-1 container app unavailable: no answer within 5 s}. */
    public String describe() {
        return "logs of pod " + namespace + "/" + pod + " container " + container + (previous ? " (previous instance)" : "")
                + " unavailable: " + reason;
    }
}

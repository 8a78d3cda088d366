package io.opsagent.core.cluster;

/**
 * Where an object of a {@link ClusterSnapshot} was read, so that evidence can cite it.
 * A JSON origin answers {@code default/pods.json:items[3].status.phase}; a text origin answers the line of the
 * file that holds the field, e.g. {@code kubectl_describe.txt:34}.
 */
public interface Origin {

    /** The file (relative to the input root) the object came from. */
    String file();

    /**
     * A reference to one field of the object.
     *
     * @param fieldPath a JSON-path-like field path relative to the object, e.g.
     *                  {@code status.containerStatuses[0].lastState.terminated.reason}; empty for the object itself
     */
    String ref(String fieldPath);
}

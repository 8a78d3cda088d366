package io.opsagent.core.tools.cluster;

import io.fabric8.kubernetes.api.model.Probe;

/** A probe as one line: {@code http-get :8080/healthz delay=5s timeout=1s period=10s #failure=3}. */
final class Probes {
    private Probes() {
    }

    static String describe(Probe p) {
        StringBuilder sb = new StringBuilder();
        if (p.getHttpGet() != null) {
            sb.append("http-get ").append(p.getHttpGet().getScheme() == null ? "" : p.getHttpGet().getScheme().toLowerCase() + " ")
                    .append(':').append(p.getHttpGet().getPort() == null ? "?" : p.getHttpGet().getPort().getValue())
                    .append(p.getHttpGet().getPath() == null ? "" : p.getHttpGet().getPath());
        } else if (p.getTcpSocket() != null) {
            sb.append("tcp-socket :").append(p.getTcpSocket().getPort() == null ? "?" : p.getTcpSocket().getPort().getValue());
        } else if (p.getExec() != null) {
            sb.append("exec ").append(p.getExec().getCommand());
        } else if (p.getGrpc() != null) {
            sb.append("grpc :").append(p.getGrpc().getPort());
        } else {
            sb.append("?");
        }
        sb.append(" delay=").append(nz(p.getInitialDelaySeconds(), 0)).append("s timeout=").append(nz(p.getTimeoutSeconds(), 1))
                .append("s period=").append(nz(p.getPeriodSeconds(), 10)).append("s #failure=").append(nz(p.getFailureThreshold(), 3));
        return sb.toString();
    }

    private static int nz(Integer v, int dflt) {
        return v == null ? dflt : v;
    }
}

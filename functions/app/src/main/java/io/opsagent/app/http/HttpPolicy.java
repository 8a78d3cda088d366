package io.opsagent.app.http;

import com.sun.net.httpserver.Headers;
import java.net.URI;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the HTTP application refuses before any route runs (docs/api.md, "What the server refuses"):
 * <ul>
 *   <li><b>Host</b> (local server): only loopback names ({@code 127.0.0.1}, {@code localhost}, {@code [::1]}) and
 *       configured ones ({@code OPSAGENT_ALLOWED_HOSTS}); any other Host is a DNS-rebinding attempt: 403.</li>
 *   <li><b>Origin</b>: a request whose {@code Origin} is neither the server's own (same scheme-less host:port as
 *       its Host) nor a configured origin ({@code OPSAGENT_ALLOWED_ORIGINS}) is cross-site: 403. {@code Origin: null}
 *       (sandboxed frames, files) is refused too.</li>
 *   <li><b>Content-Type</b>: every POST, PUT and PATCH must be {@code application/json} (415 otherwise): a
 *       cross-site form or a {@code text/plain} "simple request" can never change anything.</li>
 * </ul>
 * Every response carries {@link #SECURITY_HEADERS}: a Content-Security-Policy (self only, no inline script,
 * {@code frame-ancestors 'none'}), {@code X-Content-Type-Options: nosniff}, {@code X-Frame-Options: DENY} and
 * {@code Referrer-Policy: no-referrer}.
 *
 * @param hosts   the Host names accepted, lower case without port; null: any (behind API Gateway or the Lambda Web
 *                Adapter, where the platform routes by host)
 * @param origins browser origins accepted besides the server's own, e.g. {@code https://d123.cloudfront.net}
 */
public record HttpPolicy(Set<String> hosts, Set<String> origins) {
    /** The loopback names the local server always answers to. */
    public static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    /** Set on every response. */
    static final String[][] SECURITY_HEADERS = {
            {"Content-Security-Policy", CSP},
            {"X-Content-Type-Options", "nosniff"},
            {"X-Frame-Options", "DENY"},
            {"Referrer-Policy", "no-referrer"}};

    public HttpPolicy {
        hosts = hosts == null ? null : Set.copyOf(lower(hosts));
        origins = origins == null ? Set.of() : Set.copyOf(lower(origins));
    }

    /** The local server's policy: loopback hosts plus {@code extraHosts}; {@code origins} besides its own. */
    public static HttpPolicy local(Collection<String> extraHosts, Collection<String> origins) {
        Set<String> h = new TreeSet<>(LOOPBACK);
        if (extraHosts != null) h.addAll(extraHosts);
        return new HttpPolicy(h, origins == null ? Set.of() : Set.copyOf(origins));
    }

    /** Behind API Gateway or the Lambda Web Adapter: any Host; Origin and Content-Type checked. */
    public static HttpPolicy anyHost(Collection<String> origins) {
        return new HttpPolicy(null, origins == null ? Set.of() : Set.copyOf(origins));
    }

    /** Sets the security headers on a response about to be sent. */
    static void secure(Headers response) {
        for (String[] h : SECURITY_HEADERS) response.set(h[0], h[1]);
    }

    /** Refuses a request from a host or origin not served here ({@link ApiError} naming it), or returns. */
    void checkSource(Headers request) {
        String host = request.getFirst("Host");
        if (hosts != null) {
            String name = host == null ? null : hostName(host);
            if (name == null || !hosts.contains(name)) {
                throw new ApiError(403, "Host '" + clip(host) + "' is not served here: OpsAgent answers only "
                        + "loopback names (127.0.0.1, localhost, [::1]) and OPSAGENT_ALLOWED_HOSTS; another name is "
                        + "how a web page would reach it by DNS rebinding", "Host");
            }
        }
        String origin = request.getFirst("Origin");
        if (origin != null && !sameOrigin(origin, host) && !origins.contains(origin.toLowerCase(Locale.ROOT))) {
            throw new ApiError(403, "cross-origin request refused: Origin '" + clip(origin) + "' is not this server "
                    + "nor in OPSAGENT_ALLOWED_ORIGINS", "Origin");
        }
    }

    /** Refuses a POST, PUT or PATCH to a route unless its body is declared JSON. */
    void checkContentType(String method, Headers request) {
        if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
            String type = request.getFirst("Content-Type");
            String base = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
            if (!base.equals("application/json")) {
                throw new ApiError(415, method + " requests must send Content-Type: application/json (got "
                        + (type == null ? "none" : "'" + clip(type) + "'") + "), so a cross-site form cannot send them",
                        "Content-Type");
            }
        }
    }

    /** True when {@code origin} (scheme://host[:port]) names the host:port of the request's Host header. */
    private static boolean sameOrigin(String origin, String host) {
        if (host == null || origin.equals("null")) return false;
        try {
            URI u = URI.create(origin);
            if (u.getHost() == null) return false;
            String h = u.getHost().toLowerCase(Locale.ROOT);
            if (h.contains(":") && !h.startsWith("[")) h = "[" + h + "]";
            int port = u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
            String hostHeader = host.toLowerCase(Locale.ROOT);
            return hostHeader.equals(h + ":" + port) || (port == 80 || port == 443) && hostHeader.equals(h);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The name part of a Host header ({@code name[:port]}, {@code [v6][:port]}), lower case; null if malformed. */
    static String hostName(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.isEmpty()) return null;
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? null : h.substring(0, end + 1);
        }
        int colon = h.lastIndexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    private static Set<String> lower(Collection<String> values) {
        Set<String> out = new TreeSet<>();
        for (String v : values) {
            if (v != null && !v.isBlank()) out.add(v.strip().toLowerCase(Locale.ROOT));
        }
        return out;
    }

    private static String clip(String s) {
        if (s == null) return "";
        String t = s.replaceAll("[\\p{Cntrl}]", "?");
        return Params.clip(t, 100);
    }
}

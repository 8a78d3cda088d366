package io.opsagent.app.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps method + path to a handler. Paths are patterns where {@code {x}} matches one path segment; the segments
 * become the request's path parameters in order. First match wins, so list fixed paths before parameterised ones.
 */
final class Router {
    /** Answers one request. */
    @FunctionalInterface
    interface Handler {
        void handle(Request request) throws Exception;
    }

    private record Route(String method, String path, Pattern pattern, Handler handler) {
    }

    /** The outcome of matching: a handler and its parameters, or the methods allowed on the path (405), or none (404). */
    record Match(Handler handler, List<String> params, Set<String> allowed) {
    }

    private final List<Route> routes = new ArrayList<>();

    Router add(String method, String path, Handler handler) {
        String regex = Pattern.quote(path).replaceAll("\\{[a-zA-Z]+}", "\\\\E([^/]+)\\\\Q");
        routes.add(new Route(method, path, Pattern.compile(regex), handler));
        return this;
    }

    /** Every route as {@code METHOD /path/{param}}, in the order added (the isolation suite walks them all). */
    List<String> routes() {
        return routes.stream().map(r -> r.method() + " " + r.path()).toList();
    }

    Match match(String method, String rawPath) {
        Set<String> allowed = new LinkedHashSet<>();
        for (Route r : routes) {
            Matcher m = r.pattern.matcher(rawPath);
            if (!m.matches()) continue;
            if (r.method.equals(method) || (method.equals("HEAD") && r.method.equals("GET"))) {
                List<String> params = new ArrayList<>();
                for (int i = 1; i <= m.groupCount(); i++) params.add(decode(m.group(i)));
                return new Match(r.handler, params, Set.of());
            }
            allowed.add(r.method);
        }
        return new Match(null, List.of(), allowed);
    }

    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("path", "malformed percent-encoding in the path: " + segment);
        }
    }
}

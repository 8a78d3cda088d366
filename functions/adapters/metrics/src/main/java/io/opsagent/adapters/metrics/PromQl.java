package io.opsagent.adapters.metrics;

import io.opsagent.core.metrics.Metric;
import io.opsagent.core.metrics.MetricQuery;
import io.opsagent.core.metrics.MetricsException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/** The PromQL of each {@link Metric}, read from {@code promql.properties}, and how a {@link MetricQuery} fills it. */
public final class PromQl {
    /** What a filled-in value may hold: names, dots, dashes, and the regex syntax {@link MetricQuery#podRegex} uses. */
    private static final Pattern SAFE = Pattern.compile("[a-z0-9.\\-|\\[\\]{},\\\\]*");
    private final Map<Metric, String> templates;

    private PromQl(Map<Metric, String> templates) {
        this.templates = templates;
    }

    /** The templates shipped beside this class; every metric must have one. */
    public static PromQl standard() {
        Properties p = new Properties();
        try (InputStream in = PromQl.class.getResourceAsStream("promql.properties")) {
            if (in == null) throw new IllegalStateException("promql.properties is missing from the classpath");
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<Metric, String> t = new EnumMap<>(Metric.class);
        for (Metric m : Metric.values()) {
            String q = p.getProperty(m.id());
            if (q == null || q.isBlank()) throw new IllegalStateException("promql.properties has no query for " + m.id());
            t.put(m, q.strip());
        }
        return new PromQl(t);
    }

    /** The query for {@code q}. */
    public String render(MetricQuery q) {
        String out = templates.get(q.metric());
        out = out.replace("{namespace}", safe(q.namespace()));
        if (q.pvc() != null) out = out.replace("{pvc}", safe(q.pvc()));
        if (q.metric() != Metric.DISK_USAGE) out = out.replace("{pods}", safe(q.podRegex()).replace("\\", "\\\\"));
        return out;
    }

    private static String safe(String v) {
        // MetricQuery validated every name; this is the second lock on the door into a query language
        if (!SAFE.matcher(v).matches()) throw new MetricsException("refusing to put '" + v + "' into a query");
        return v;
    }
}

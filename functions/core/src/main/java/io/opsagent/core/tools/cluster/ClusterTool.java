package io.opsagent.core.tools.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.opsagent.core.diagnosis.AnalysisContext;
import io.opsagent.core.tools.Schema;
import io.opsagent.core.tools.Tool;
import io.opsagent.core.tools.ToolContext;
import io.opsagent.core.tools.ToolSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Shared argument handling for the read tools over a cluster snapshot. */
abstract class ClusterTool implements Tool {
    static final ObjectMapper JSON = new ObjectMapper();

    private final ToolSpec spec;

    ClusterTool(ToolSpec spec) {
        this.spec = spec;
    }

    @Override
    public final ToolSpec spec() {
        return spec;
    }

    /** Adds the scope arguments every tool takes: namespace and name (defaults: the session's workload). */
    static Schema scoped() {
        return Schema.object()
                .string("namespace", "namespace; defaults to the session's namespace")
                .string("name", "workload name (Deployment, StatefulSet, DaemonSet, Job, CronJob, Service or Pod);"
                        + " defaults to the session's workload; \"*\" for the whole namespace");
    }

    static String str(ObjectNode args, String name) {
        JsonNode v = args.get(name);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText().strip();
    }

    static int integer(ObjectNode args, String name, int dflt) {
        JsonNode v = args.get(name);
        return v == null || v.isNull() ? dflt : v.asInt();
    }

    static List<String> strings(ObjectNode args, String name) {
        List<String> out = new ArrayList<>();
        JsonNode v = args.get(name);
        if (v != null && v.isArray()) v.forEach(x -> out.add(x.asText()));
        return out;
    }

    /** The target the arguments name, defaulting to the session's scope. */
    static Target target(ObjectNode args, ToolContext c) {
        return target(args, c, null);
    }

    static Target target(ObjectNode args, ToolContext c, String kind) {
        String ns = str(args, "namespace");
        String name = str(args, "name");
        if (ns == null) ns = c.namespace();
        if (name == null && (str(args, "namespace") == null || ns.equals(c.namespace()))) {
            // the session's workload, of the session's kind when it names one (shop/service/catalog)
            name = c.workload();
            if (kind == null && name != null) kind = c.workloadKind();
        }
        return Target.resolve(c.snapshot(), ns, name, kind);
    }

    static String name(HasMetadata o) {
        return o.getMetadata().getName();
    }

    static String nsName(HasMetadata o) {
        return (o.getMetadata().getNamespace() == null ? "" : o.getMetadata().getNamespace() + "/") + name(o);
    }

    /** Events about the target and its pods, newest last. */
    static List<Event> events(Target t) {
        List<Event> ev = new ArrayList<>();
        var s = t.ctx().snapshot();
        if (t.object() == null) {
            s.events().stream().filter(e -> e.getInvolvedObject() != null
                    && t.namespace().equals(e.getInvolvedObject().getNamespace())).forEach(ev::add);
        } else {
            ev.addAll(s.eventsFor(t.object()));
            for (Pod p : t.pods()) {
                if (p != t.object()) ev.addAll(s.eventsFor(p));
            }
            // the ReplicaSets of a Deployment
            s.replicaSets().stream().filter(rs -> t.ctx().ownersOf(AnalysisContext.key(rs)).stream()
                    .anyMatch(k -> k.equals(AnalysisContext.key(t.object())))).forEach(rs -> ev.addAll(s.eventsFor(rs)));
        }
        ev.sort(Comparator.comparing(ClusterTool::eventTime, Comparator.nullsFirst(Comparator.naturalOrder())));
        return ev;
    }

    static Instant eventTime(Event e) {
        Instant t = AnalysisContext.parse(e.getLastTimestamp());
        if (t == null && e.getEventTime() != null) t = AnalysisContext.parse(e.getEventTime().getTime());
        if (t == null) t = AnalysisContext.parse(e.getFirstTimestamp());
        if (t == null && e.getMetadata() != null) t = AnalysisContext.parse(e.getMetadata().getCreationTimestamp());
        return t;
    }

    static String eventLine(Event e) {
        Instant t = eventTime(e);
        int count = e.getCount() == null ? 1 : e.getCount();
        return (t == null ? "?" : t.toString()) + " " + e.getType() + " " + e.getReason()
                + (count > 1 ? " (x" + count + ")" : "") + " " + (e.getInvolvedObject() == null ? ""
                : e.getInvolvedObject().getKind() + "/" + e.getInvolvedObject().getName()) + ": "
                + (e.getMessage() == null ? "" : e.getMessage().strip());
    }
}

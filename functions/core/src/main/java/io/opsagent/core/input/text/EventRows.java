package io.opsagent.core.input.text;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.opsagent.core.cluster.TextOrigin;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Events as kubectl prints them: the {@code Events:} table at the end of {@code kubectl describe}, and the
 * {@code kubectl get events} / {@code kubectl events} tables.
 */
final class EventRows {
    private static final Pattern COUNT = Pattern.compile("\\(x(\\d+) over ([^)]*)\\)");
    private static final Pattern DESCRIBE_ROW = Pattern.compile(
            "^(Normal|Warning|\\S+)\\s+(\\S+)\\s+(\\S+(?:\\s+\\(x\\d+ over [^)]*\\))?)\\s+(\\S+(?:,\\s*\\S+)?)\\s+(.*)$");

    private EventRows() {
    }

    /** The events of a describe {@code Events:} node, about {@code kind namespace/name}. */
    static void fromDescribe(DNode events, String kind, String namespace, String name, String file, Collected out) {
        if (events == null || events.children.isEmpty()) return;
        fromLines(events.subtreeLines(), kind, namespace, name, file, out);
    }

    /** True for the header of a describe-style events table ({@code Type Reason Age From Message}). */
    static boolean isDescribeHeader(String line) {
        return line.trim().matches("^Type\\s+Reason\\s+Age\\s+From\\s+Message$");
    }

    /** Describe-style event rows (header and dashes lines are skipped) about {@code kind namespace/name}. */
    static void fromLines(List<Line> lines, String kind, String namespace, String name, String file, Collected out) {
        Event last = null;
        TextOrigin lastOrigin = null;
        for (Line l : lines) {
            String t = l.text().trim();
            if (t.startsWith("Type ") || t.matches("[-\\s]+")) continue;
            Matcher m = DESCRIBE_ROW.matcher(t);
            if (m.matches() && (m.group(1).equals("Normal") || m.group(1).equals("Warning"))) {
                last = event(kind, namespace, name, m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), null);
                lastOrigin = origin(file, l.number());
                out.add(last, lastOrigin);
            } else if (last != null) {
                last.setMessage(last.getMessage() + "\n" + t); // a message continued on the next line
            }
        }
    }

    /** The rows of a {@code kubectl get events} / {@code kubectl events} table. */
    static void fromTable(Table table, String defaultNamespace, String file, Collected out) {
        for (Table.Row r : table.rows) {
            String object = r.get("OBJECT");
            if (object == null) object = r.get("INVOLVED OBJECT");
            String kind = r.get("KIND") != null ? Kinds.canonical(r.get("KIND")) : null;
            String name = object != null ? object : r.get("NAME");
            if (object != null && object.contains("/")) {
                kind = Kinds.canonical(object.substring(0, object.indexOf('/')));
                name = object.substring(object.indexOf('/') + 1);
            }
            String ns = r.get("NAMESPACE") != null ? r.get("NAMESPACE") : defaultNamespace;
            if (Kinds.clusterScoped(kind)) ns = null;
            String age = r.raw("LAST SEEN");
            String from = r.get("SOURCE") != null ? r.get("SOURCE") : r.get("FROM");
            Event e = event(kind, ns, name, r.get("TYPE"), r.get("REASON"), age, from, r.raw("MESSAGE"), r.get("COUNT"));
            if (ns != null && e.getMetadata().getNamespace() == null) e.getMetadata().setNamespace(ns);
            out.add(e, origin(file, r.line().number()));
        }
    }

    static boolean isEventHeader(List<String> columns) {
        return columns.contains("REASON") && columns.contains("MESSAGE")
                && (columns.contains("OBJECT") || columns.contains("INVOLVED OBJECT")
                || columns.contains("KIND") && columns.contains("NAME"))
                && (columns.contains("LAST SEEN") || columns.contains("TYPE"));
    }

    private static TextOrigin origin(String file, int line) {
        TextOrigin o = new TextOrigin(file, line);
        for (String f : List.of("message", "reason", "type", "count", "involvedObject", "source", "lastTimestamp")) {
            o.field(f, line);
        }
        return o;
    }

    static Event event(String kind, String namespace, String name, String type, String reason, String age,
                       String from, String message, String countColumn) {
        Event e = new Event();
        e.setApiVersion("v1");
        e.setKind("Event");
        ObjectMeta meta = new ObjectMeta();
        meta.setNamespace(namespace);
        meta.setName((name == null ? "unknown" : name) + "." + Integer.toHexString(
                (reason + "|" + message).hashCode() & 0x7fffffff));
        e.setMetadata(meta);
        ObjectReference ref = new ObjectReference();
        ref.setKind(kind);
        ref.setName(name);
        ref.setNamespace(namespace);
        if (kind != null) ref.setApiVersion(Kinds.apiVersion(kind));
        e.setInvolvedObject(ref);
        e.setType(type);
        e.setReason(reason);
        e.setMessage(unescape(message == null ? "" : message.trim()));
        Integer count = 1;
        if (age != null) {
            Matcher m = COUNT.matcher(age);
            if (m.find()) count = Integer.parseInt(m.group(1));
        }
        Integer col = Values.integer(countColumn);
        if (col != null) count = col;
        e.setCount(count);
        if (from != null) {
            EventSource src = new EventSource();
            String f = from.trim();
            int comma = f.indexOf(',');
            if (comma > 0) {
                src.setComponent(f.substring(0, comma).trim());
                src.setHost(f.substring(comma + 1).trim());
            } else {
                src.setComponent(f);
            }
            e.setSource(src);
            e.setReportingComponent(src.getComponent());
        }
        return e;
    }

    /** Undoes one level of JSON string escaping that some recorders leave in the output ({@code \"} → {@code "}). */
    static String unescape(String s) {
        if (!s.contains("\\\"")) return s;
        return s.replace("\\\"", "\"");
    }

    static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}

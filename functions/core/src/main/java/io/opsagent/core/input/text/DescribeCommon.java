package io.opsagent.core.input.text;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Toleration;
import io.opsagent.core.cluster.TextOrigin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Fields every {@code kubectl describe} output shares: Name, Namespace, Labels, Annotations, Controlled By. */
final class DescribeCommon {
    private static final Pattern TOLERATION = Pattern.compile(
            "^([^=:\\s]*)(?:=([^:\\s]*))?(?::(\\w+))?(?:\\s+op=(\\w+))?(?:\\s+for\\s+(\\d+)s)?$");

    private DescribeCommon() {
    }

    static ObjectMeta metadata(List<DNode> roots, String namespaceHint, TextOrigin origin) {
        ObjectMeta m = new ObjectMeta();
        DNode name = DNode.find(roots, "Name");
        m.setName(name == null ? null : Values.clean(name.value));
        String ns = DNode.value(roots, "Namespace");
        m.setNamespace(ns != null ? ns : namespaceHint);
        DNode ns2 = DNode.find(roots, "Namespace");
        if (ns2 != null) origin.field("metadata.namespace", ns2.number());
        DNode labels = DNode.find(roots, "Labels");
        if (labels != null) {
            Map<String, String> l = Values.keyValues(labels.valueLines());
            if (!l.isEmpty()) m.setLabels(l);
            origin.field("metadata.labels", labels.number());
        }
        DNode ann = DNode.find(roots, "Annotations");
        if (ann != null) {
            Map<String, String> a = Values.annotations(ann.valueLines());
            a.remove("kubectl.kubernetes.io/last-applied-configuration");
            if (!a.isEmpty()) m.setAnnotations(a);
            origin.field("metadata.annotations", ann.number());
        }
        String created = Values.time(DNode.value(roots, "CreationTimestamp"));
        if (created != null) m.setCreationTimestamp(created);
        DNode owner = DNode.find(roots, "Controlled By");
        if (owner != null && Values.clean(owner.value) != null && owner.value.contains("/")) {
            String v = owner.value.trim();
            String kind = Kinds.canonical(v.substring(0, v.indexOf('/')));
            OwnerReference ref = new OwnerReference();
            ref.setKind(kind);
            ref.setName(v.substring(v.indexOf('/') + 1));
            ref.setApiVersion(Kinds.apiVersion(kind));
            ref.setController(true);
            m.setOwnerReferences(new ArrayList<>(List.of(ref)));
            origin.field("metadata.ownerReferences", owner.number());
        }
        DNode finalizers = DNode.find(roots, "Finalizers");
        if (finalizers != null && Values.clean(finalizers.value) != null) {
            String f = finalizers.value.trim().replaceAll("^\\[|]$", "");
            List<String> list = new ArrayList<>();
            for (String s : f.split("[,\\s]+")) if (!s.isBlank()) list.add(s);
            m.setFinalizers(list);
        }
        if (name != null) origin.field("metadata.name", name.number());
        origin.field("metadata", origin.line());
        return m;
    }

    static List<Toleration> tolerations(DNode n) {
        List<Toleration> out = new ArrayList<>();
        if (n == null) return out;
        for (String t : n.valueLines()) {
            Matcher m = TOLERATION.matcher(t.trim());
            if (!m.matches()) continue;
            Toleration tol = new Toleration();
            tol.setKey(m.group(1).isEmpty() ? null : m.group(1));
            tol.setValue(m.group(2));
            tol.setEffect(m.group(3));
            tol.setOperator(m.group(4) != null ? m.group(4) : (m.group(2) != null ? "Equal" : "Exists"));
            if (m.group(5) != null) tol.setTolerationSeconds(Long.parseLong(m.group(5)));
            out.add(tol);
        }
        return out;
    }

    /** Rows of a describe table node (Conditions:…): header line first, then rows. */
    static Table table(DNode n) {
        List<Line> lines = new ArrayList<>();
        for (Line l : n.subtreeLines()) {
            if (l.text().trim().startsWith("(")) continue; // "(Total limits may be over 100 percent…)"
            lines.add(l);
        }
        return Table.parse(lines);
    }
}

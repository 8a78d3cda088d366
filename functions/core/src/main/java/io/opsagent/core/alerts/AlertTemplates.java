package io.opsagent.core.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The investigation templates per alert name, read from data ({@code templates.json} beside this class): which labels
 * name the subject, the question, the first tools and the answer's sections. The last template is the generic one.
 */
public final class AlertTemplates {
    /** One template. */
    public record Template(List<String> alerts, List<String> subject, String question, List<String> tools) {
        /** {@code namespace/name} of the alert's subject: the first of its subject labels present; null without a namespace. */
        public String workload(Alert a) {
            String ns = a.labels().get("namespace");
            if (ns == null || ns.isBlank()) return null;
            for (String label : subject) {
                String v = a.labels().get(label);
                if (v == null || v.isBlank()) continue;
                if (label.equals("node") || label.equals("persistentvolumeclaim")) return ns + "/*";
                return ns + "/" + (label.equals("pod") ? AlertWorkloads.ownerOfPod(v) : v);
            }
            return ns + "/*";
        }

        /** The question about {@code a}, its placeholders filled, with the sections the answer should have. */
        public String question(Alert a, String workload, List<String> sections) {
            return question(a, workload, sections, tool -> true);
        }

        /**
         * As above, naming only the first tools {@code offered} says the agent has (the metrics tools exist only where
         * OpsAgent knows a metrics source).
         */
        public String question(Alert a, String workload, List<String> sections, java.util.function.Predicate<String> offered) {
            String q = question.replace("{workload}", workload == null ? "the cluster" : workload)
                    .replace("{namespace}", a.labels().getOrDefault("namespace", "?"))
                    .replace("{node}", a.labels().getOrDefault("node", a.labels().getOrDefault("instance", "?")))
                    .replace("{pvc}", a.labels().getOrDefault("persistentvolumeclaim", "?"));
            String said = a.summary() == null ? "" : ": " + a.summary().strip().replaceAll("[.!\\s]+$", "");
            return "Alert " + a.name() + " fired" + said + ". " + q
                    + " Start with " + String.join(", ", tools.stream().filter(offered).toList()) + ". Answer in sections: "
                    + String.join("; ", sections) + ".";
        }
    }

    private final List<Template> templates;
    private final List<String> sections;

    private AlertTemplates(List<Template> templates, List<String> sections) {
        this.templates = templates;
        this.sections = sections;
    }

    /** The templates shipped with OpsAgent. */
    public static AlertTemplates standard() {
        try (InputStream in = AlertTemplates.class.getResourceAsStream("templates.json")) {
            if (in == null) throw new IllegalStateException("templates.json is missing from the classpath");
            return read(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Templates from their JSON; a malformed one names what is wrong. */
    public static AlertTemplates read(JsonNode root) {
        List<Template> out = new ArrayList<>();
        int i = 0;
        for (JsonNode t : root.path("templates")) {
            String at = "templates[" + i++ + "]";
            List<String> alerts = list(t.path("alerts"), at + ".alerts");
            List<String> subject = list(t.path("subject"), at + ".subject");
            if (!t.path("question").isTextual()) throw new IllegalArgumentException(at + ".question must be a string");
            out.add(new Template(alerts, subject, t.path("question").asText(), list(t.path("tools"), at + ".tools")));
        }
        if (out.isEmpty() || !out.get(out.size() - 1).alerts().contains("*")) {
            throw new IllegalArgumentException("the last template must be the generic one (alerts: [\"*\"])");
        }
        return new AlertTemplates(List.copyOf(out), list(root.path("sections"), "sections"));
    }

    /** The template for alert {@code name} (the generic one when none names it). */
    public Template forAlert(String name) {
        for (Template t : templates) if (t.alerts().contains(name)) return t;
        return templates.get(templates.size() - 1);
    }

    public List<String> sections() {
        return sections;
    }

    public List<Template> all() {
        return templates;
    }

    private static List<String> list(JsonNode n, String field) {
        if (!n.isArray() || n.isEmpty()) throw new IllegalArgumentException(field + " must be a non-empty list of strings");
        List<String> out = new ArrayList<>();
        n.forEach(x -> out.add(x.asText()));
        return List.copyOf(out);
    }
}

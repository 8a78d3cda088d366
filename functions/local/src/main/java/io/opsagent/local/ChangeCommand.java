package io.opsagent.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code opsagent change submit|list|show|intend}: changes of a running OpsAgent through its change chain (validate →
 * evidence → approval → execute → monitor → rollback). A change is approved as its proposal:
 * {@code opsagent actions approve <proposalId>} (shown by {@code change show}), with the hash you reviewed.
 */
@Command(name = "change", mixinStandardHelpOptions = true,
        description = "Submit, list or show the changes of a running OpsAgent (./opsagent up --context …); approve one "
                + "with ./opsagent actions approve <its proposal>.",
        subcommands = {ChangeCommand.Submit.class, ChangeCommand.ListCmd.class, ChangeCommand.Show.class,
                ChangeCommand.Intend.class})
final class ChangeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Main.EXIT_BAD_INPUT;
    }

    /** A change as text: what, status, why, its evidence, the analysis and every state of its execution. */
    static void print(PrintWriter out, JsonNode c) {
        out.printf("%s  %s  %s%n", c.path("id").asText(), c.path("status").asText(), c.path("summary").asText());
        out.println("  " + c.path("detail").asText());
        if (c.path("asked").isObject()) {
            out.println("  narrowed by its approver from: " + c.path("asked").path("kind").asText() + " "
                    + c.path("asked").path("params"));
        }
        if (c.path("window").isObject()) {
            out.println("  execution window: " + c.path("window").path("notBefore").asText("-") + " to "
                    + c.path("window").path("notAfter").asText("-"));
        }
        for (JsonNode v : c.path("violations")) out.println("  policy: " + v.asText());
        out.printf("  requested by %s at %s%s%n", c.path("requester").asText(), c.path("createdAt").asText(),
                c.path("approver").isTextual() ? "; approved by " + c.path("approver").asText() : "");
        if (c.path("proposalId").isTextual()) {
            out.println("  proposal: " + c.path("proposalId").asText() + ("awaiting-approval".equals(c.path("status").asText())
                    ? "  (approve: ./opsagent actions approve " + c.path("proposalId").asText() + ")" : ""));
        }
        JsonNode ev = c.path("evidence");
        for (JsonNode d : ev.path("diff")) out.println("  change: " + d.asText());
        if (ev.has("risk")) out.println("  risk: " + ev.path("risk").asText());
        if (c.path("monitor").isObject()) {
            out.println("  analysis: " + c.path("monitor").path("result").asText());
            for (JsonNode s : c.path("monitor").path("signals")) out.println("    " + s.asText());
        }
        JsonNode x = c.path("execution");
        if (x.isObject()) {
            out.printf("  execution: %s%s%n", x.path("status").asText(), x.path("currentState").isTextual()
                    ? " (in " + x.path("currentState").asText() + ")" : x.path("error").isTextual() ? " (" + x.path("error").asText() + ")" : "");
            for (JsonNode s : x.path("states")) {
                out.printf("    %-26s %-7s %8s%s%n", s.path("name").asText(), s.path("type").asText(),
                        s.has("durationMs") ? s.path("durationMs").asLong() + " ms" : "running",
                        s.path("error").isTextual() ? "  " + s.path("error").asText() : "");
            }
        }
    }

    @Command(name = "submit", mixinStandardHelpOptions = true,
            description = "Submit a change of a Deployment: a new image (--image, --container) or replicas (--replicas).")
    static final class Submit implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ActionsCommand.Target target;
        @Option(names = {"-n", "--namespace"}, description = "the Deployment's namespace (not with --proposal)")
        String namespace;
        @Parameters(paramLabel = "DEPLOYMENT", arity = "0..1")
        String name;
        @ArgGroup(exclusive = true, multiplicity = "1")
        What what;
        @Option(names = "--container", description = "the container whose image changes (default: the Deployment's name)")
        String container;

        static final class What {
            @Option(names = "--image", paramLabel = "IMAGE", required = true)
            String image;
            @Option(names = "--replicas", paramLabel = "N", required = true)
            Integer replicas;
            @Option(names = "--proposal", paramLabel = "ID", required = true,
                    description = "a pending proposal of yours (e.g. the agent's) to run through the change chain")
            String proposal;
        }

        @Override
        public Integer call() throws IOException {
            ObjectNode body = ServerClient.json().createObjectNode().put("namespace", namespace).put("targetKind", "Deployment")
                    .put("name", name);
            if (what.proposal == null && (namespace == null || name == null)) {
                spec.commandLine().getErr().println("opsagent: a change of a Deployment needs -n NAMESPACE and DEPLOYMENT "
                        + "(or --proposal ID for a pending proposal)");
                return Main.EXIT_BAD_INPUT;
            }
            if (what.proposal != null) {
                body = ServerClient.json().createObjectNode().put("proposalId", what.proposal);
            } else if (what.image != null) {
                body.put("kind", "set-image");
                body.putObject("params").put("container", container == null ? name : container).put("image", what.image);
            } else {
                body.put("kind", "scale");
                body.putObject("params").put("replicas", what.replicas);
            }
            ServerClient.Answer a = target.client().post("/api/changes", body);
            if (!a.ok()) return ActionsCommand.fail(spec.commandLine().getErr(), a);
            PrintWriter out = spec.commandLine().getOut();
            print(out, a.json());
            out.println("follow it: ./opsagent change show " + a.json().path("id").asText());
            out.flush();
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List changes, newest first.")
    static final class ListCmd implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ActionsCommand.Target target;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            ServerClient.Answer a = target.client().get("/api/changes");
            if (!a.ok()) return ActionsCommand.fail(spec.commandLine().getErr(), a);
            if (!a.json().path("enabled").asBoolean(true)) out.println("no changes: " + a.json().path("why").asText());
            else if (a.json().path("items").isEmpty()) out.println("no changes yet");
            for (JsonNode c : a.json().path("items")) {
                out.printf("%-18s %-18s %s%n", c.path("id").asText(), c.path("status").asText(), c.path("summary").asText());
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one change and its execution, state by state.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ActionsCommand.Target target;
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() throws IOException {
            ServerClient.Answer a = target.client().get("/api/changes/" + id);
            if (!a.ok()) return ActionsCommand.fail(spec.commandLine().getErr(), a);
            print(spec.commandLine().getOut(), a.json());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "intend", mixinStandardHelpOptions = true,
            description = "Declare a workload's or ConfigMap's live state intended: drift from it is then found and "
                    + "escalated for approval (states that approved changes record are also remediated on their own).")
    static final class Intend implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ActionsCommand.Target target;
        @Option(names = {"-n", "--namespace"}, required = true)
        String namespace;
        @Option(names = "--kind", defaultValue = "Deployment", description = "Deployment (default), StatefulSet, DaemonSet or ConfigMap")
        String kind;
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws IOException {
            ObjectNode body = ServerClient.json().createObjectNode().put("namespace", namespace).put("kind", kind).put("name", name);
            ServerClient.Answer a = target.client().post("/api/drift/intended", body);
            if (!a.ok()) return ActionsCommand.fail(spec.commandLine().getErr(), a);
            JsonNode s = a.json();
            PrintWriter out = spec.commandLine().getOut();
            out.printf("intended: %s/%s/%s%n", s.path("namespace").asText(), s.path("kind").asText(), s.path("name").asText());
            s.path("images").fields().forEachRemaining(e -> out.printf("  %s=%s%n", e.getKey(), e.getValue().asText()));
            if (s.path("replicas").isInt()) out.println("  replicas: " + s.path("replicas").asInt());
            if (s.path("configHash").isTextual()) out.println("  content sha256: " + s.path("configHash").asText());
            out.println("drift from it is found at each check and escalated for approval (./opsagent actions list)");
            out.flush();
            return 0;
        }
    }
}

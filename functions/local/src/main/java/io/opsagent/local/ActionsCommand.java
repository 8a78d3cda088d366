package io.opsagent.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code opsagent actions list|show|approve|reject}: the action proposals of a running OpsAgent, decided from a
 * terminal with the same rules as the web UI (the server enforces them). {@code approve} shows the proposal and its
 * hash and approves exactly that hash: given with {@code --hash}, or confirmed at the prompt.
 */
@Command(name = "actions", mixinStandardHelpOptions = true,
        description = "List, show, approve or reject the change proposals of a running OpsAgent (./opsagent up).",
        subcommands = {ActionsCommand.ListCmd.class, ActionsCommand.Show.class, ActionsCommand.Approve.class,
                ActionsCommand.Reject.class})
final class ActionsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Main.EXIT_BAD_INPUT;
    }

    /** The server and the user every subcommand takes. */
    static final class Target {
        @Option(names = "--server", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
                description = "the running OpsAgent (default: ${DEFAULT-VALUE})")
        String server;

        @Option(names = "--user", paramLabel = "NAME", description = "who you are (default: $USER, else dev)")
        String user;

        ServerClient client() {
            String u = user != null ? user : Main.env().getOrDefault("USER", "dev").toLowerCase(java.util.Locale.ROOT);
            if (!u.matches("[a-z0-9_.-]{1,64}")) u = "dev";
            return new ServerClient(server, u);
        }
    }

    static int fail(PrintWriter err, ServerClient.Answer a) {
        err.println("opsagent: " + a.error() + " (HTTP " + a.status() + ")");
        err.flush();
        return a.status() == 400 || a.status() == 404 ? Main.EXIT_BAD_INPUT : 1;
    }

    /** A proposal as text: what, the diff, risk, blast radius, cost, status, the hash. */
    static void print(PrintWriter out, JsonNode p) {
        out.printf("%s  %s  %s%n", p.path("id").asText(), p.path("status").asText(), p.path("summary").asText());
        out.printf("  requested by %s at %s; expires %s%n", p.path("requester").asText(), p.path("createdAt").asText(),
                p.path("expiresAt").asText());
        if (!p.path("dryRun").path("ok").asBoolean()) out.println("  dry run REFUSED: " + p.path("dryRun").path("error").asText());
        for (JsonNode c : p.path("dryRun").path("diff")) out.println("  change: " + c.path("text").asText());
        out.printf("  risk: %s (%s)%s%n", p.path("risk").path("level").asText(),
                String.join("; ", ServerClient.json().convertValue(p.path("risk").path("reasons"), String[].class)),
                p.path("risk").path("twoApprovers").asBoolean() ? "; needs two approvers" : "");
        JsonNode pods = p.path("blastRadius").path("podsRestarting");
        if (pods.size() > 0) out.println("  pods replaced: " + pods.size());
        if (p.has("cost")) out.println("  cost: " + p.path("cost").path("text").asText());
        if (p.has("execution")) {
            out.printf("  executed as %s: %s %s%n", p.path("execution").path("asUser").asText(),
                    p.path("execution").path("method").asText(), p.path("execution").path("path").asText());
        }
        if (p.has("verification")) {
            out.printf("  verification: %s: %s%n", p.path("verification").path("outcome").asText(),
                    p.path("verification").path("rollout").asText());
        }
        out.println("  hash: " + p.path("hash").asText());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List proposals, newest first.")
    static final class ListCmd implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Target target;
        @Option(names = "--status", description = "only this status: pending, approved, rejected, expired, executing,"
                + " succeeded, failed, stale")
        String status;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            ServerClient.Answer a = target.client().get("/api/actions" + (status == null ? "" : "?status="
                    + java.net.URLEncoder.encode(status, StandardCharsets.UTF_8)));
            if (!a.ok()) return fail(spec.commandLine().getErr(), a);
            if (!a.json().path("enabled").asBoolean(true)) {
                out.println("no actions: " + a.json().path("why").asText());
            } else if (a.json().path("items").isEmpty()) {
                out.println("no proposals" + (status == null ? "" : " with status " + status));
            }
            for (JsonNode p : a.json().path("items")) {
                out.printf("%-16s %-10s %-6s %s%n", p.path("id").asText(), p.path("status").asText(),
                        p.path("risk").path("level").asText(), p.path("summary").asText());
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one proposal: its diff, risk and hash.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Target target;
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() throws IOException {
            ServerClient.Answer a = target.client().get("/api/actions/" + id);
            if (!a.ok()) return fail(spec.commandLine().getErr(), a);
            print(spec.commandLine().getOut(), a.json());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = "Approve one proposal: exactly the action with the hash you reviewed (--hash, or confirm at the prompt).")
    static final class Approve implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Target target;
        @Parameters(paramLabel = "ID")
        String id;
        @Option(names = "--hash", paramLabel = "SHA256", description = "the hash of the action you reviewed (actions show)")
        String hash;
        @Option(names = "--replicas", paramLabel = "N", description = "a condition: approve a scale narrowed to N replicas "
                + "(between the current and the asked count); it becomes a proposal with its own hash")
        Integer replicas;
        @Option(names = "--not-before", paramLabel = "INSTANT", description = "a condition of a change: execute no earlier "
                + "than this (e.g. 2026-12-06T22:00:00Z)")
        String notBefore;
        @Option(names = "--not-after", paramLabel = "INSTANT", description = "a condition of a change: execute no later than this")
        String notAfter;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            ServerClient c = target.client();
            String h = hash;
            if (h == null) {
                ServerClient.Answer shown = c.get("/api/actions/" + id);
                if (!shown.ok()) return fail(spec.commandLine().getErr(), shown);
                print(out, shown.json());
                if (System.console() == null) {
                    spec.commandLine().getErr().println("opsagent: not a terminal: approve with --hash "
                            + shown.json().path("hash").asText() + " after reviewing the proposal above");
                    return Main.EXIT_BAD_INPUT;
                }
                out.print("Approve exactly this change? [y/N] ");
                out.flush();
                String yes = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (yes == null || !yes.strip().equalsIgnoreCase("y")) {
                    out.println("not approved");
                    return 1;
                }
                h = shown.json().path("hash").asText();
            }
            ObjectNode body = ServerClient.json().createObjectNode().put("hash", h);
            if (replicas != null || notBefore != null || notAfter != null) {
                ObjectNode cond = body.putObject("conditions");
                if (replicas != null) cond.putObject("params").put("replicas", replicas);
                if (notBefore != null) cond.put("notBefore", notBefore);
                if (notAfter != null) cond.put("notAfter", notAfter);
            }
            ServerClient.Answer a = c.post("/api/actions/" + id + "/approve", body);
            if (!a.ok()) return fail(spec.commandLine().getErr(), a);
            print(out, a.json());
            out.flush();
            return 0;
        }
    }

    @Command(name = "reject", mixinStandardHelpOptions = true, description = "Reject one proposal, with a reason.")
    static final class Reject implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Target target;
        @Parameters(paramLabel = "ID")
        String id;
        @Option(names = "--reason", description = "why (recorded in the audit log)")
        String reason;

        @Override
        public Integer call() throws IOException {
            ObjectNode body = ServerClient.json().createObjectNode();
            if (reason != null) body.put("reason", reason);
            ServerClient.Answer a = target.client().post("/api/actions/" + id + "/reject", body);
            if (!a.ok()) return fail(spec.commandLine().getErr(), a);
            print(spec.commandLine().getOut(), a.json());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}

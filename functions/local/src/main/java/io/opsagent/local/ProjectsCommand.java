package io.opsagent.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code opsagent projects}: the projects of a running OpsAgent as the web UI's Projects page shows them, and for their
 * admins the same changes (through {@code /api/projects}: the server decides, audits and refuses; its message is shown).
 */
@Command(name = "projects", mixinStandardHelpOptions = true,
        description = "List your projects; their admins make them, change members and delete them.",
        subcommands = {ProjectsCommand.Show.class, ProjectsCommand.Create.class, ProjectsCommand.SetMember.class,
                ProjectsCommand.RemoveMember.class, ProjectsCommand.SetNamespaces.class, ProjectsCommand.Budget.class,
                ProjectsCommand.Delete.class})
final class ProjectsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ActionsCommand.Target target;

    @Override
    public Integer call() throws IOException {
        ServerClient.Answer a = target.client().get("/api/projects");
        if (!a.ok()) return ActionsCommand.fail(spec.commandLine().getErr(), a);
        PrintWriter out = spec.commandLine().getOut();
        if (!a.json().path("enabled").asBoolean()) {
            out.println("projects are off: " + a.json().path("why").asText());
        } else if (a.json().path("items").isEmpty()) {
            out.println("you are a member of no project: you see no namespace (an admin adds you)");
        }
        for (JsonNode p : a.json().path("items")) print(out, p);
        out.flush();
        return 0;
    }

    static String path(String name) {
        return "/api/projects/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The server's refusal (exit 2 or 1), or the project it answered, under {@code heading} (null: none). */
    static int shown(CommandSpec spec, ServerClient.Answer a, String heading) {
        if (!a.ok()) return ActionsCommand.fail(spec.commandLine().getErr(), a);
        PrintWriter out = spec.commandLine().getOut();
        if (heading != null) out.println(heading);
        print(out, a.json());
        out.flush();
        return 0;
    }

    /** A project: name, your role, namespaces; for its admins, members, source and version. */
    static void print(PrintWriter out, JsonNode p) {
        List<String> ns = new ArrayList<>();
        p.path("namespaces").forEach(n -> ns.add(n.asText()));
        out.printf("%-24s %-9s %s%s%n", p.path("name").asText(), p.path("role").asText(), String.join(",", ns),
                p.has("version") ? "  (" + p.path("source").asText() + ", version " + p.path("version").asLong() + ")" : "");
        p.path("users").fields().forEachRemaining(e -> out.printf("  user  %-20s %s%n", e.getKey(), e.getValue().asText()));
        p.path("groups").fields().forEachRemaining(e -> out.printf("  group %-20s %s%n", e.getKey(), e.getValue().asText()));
        JsonNode b = p.path("budget");
        if (b.isObject()) {
            out.printf("  budget: %s tokens, $%s a day, %s requests a minute, %s runs at once (0: no limit)%n",
                    b.path("tokensPerDay").asText("0"), b.path("usdPerDay").asText("0"), b.path("requestsPerMinute").asText("0"),
                    b.path("concurrentRuns").asText("0"));
        }
    }

    /** A member as the command line names it: {@code bob} or {@code user:bob} (a user), {@code group:oncall}. */
    record Member(boolean group, String name) {
        static Member parse(String s) {
            if (s.startsWith("group:")) return new Member(true, s.substring(6));
            return new Member(false, s.startsWith("user:") ? s.substring(5) : s);
        }

        String path(String project) {
            return ProjectsCommand.path(project) + (group ? "/groups/" : "/users/")
                    + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One project (members for its admins).")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ActionsCommand.Target target;
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws IOException {
            return shown(spec, target.client().get(path(name)), null);
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Make a project of namespaces you administer (you become its admin unless --admin names another).")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ActionsCommand.Target target;
        @Parameters(paramLabel = "NAME", description = "a-z, 0-9 and -")
        String name;
        @Option(names = {"-n", "--namespace"}, paramLabel = "NS", required = true,
                description = "a namespace, a prefix (team-*) or *; repeat for more")
        List<String> namespaces;
        @Option(names = {"-m", "--member"}, paramLabel = "MEMBER=ROLE",
                description = "a member (bob, or group:oncall) and their role (viewer, operator, approver, admin); repeat")
        Map<String, String> members = new LinkedHashMap<>();

        @Override
        public Integer call() throws IOException {
            ObjectNode body = ServerClient.json().createObjectNode().put("name", name);
            namespaces.forEach(body.putArray("namespaces")::add);
            ObjectNode u = body.putObject("users");
            ObjectNode g = body.putObject("groups");
            members.forEach((m, role) -> {
                Member member = Member.parse(m);
                (member.group() ? g : u).put(member.name(), role);
            });
            return shown(spec, target.client().post("/api/projects", body), "made project " + name + ":");
        }
    }

    @Command(name = "set-member", mixinStandardHelpOptions = true, description = "Give a user or a group a role in a project (admins).")
    static final class SetMember implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ActionsCommand.Target target;
        @Parameters(index = "0", paramLabel = "PROJECT")
        String project;
        @Parameters(index = "1", paramLabel = "MEMBER", description = "a user (bob, user:bob) or a group (group:oncall)")
        String member;
        @Option(names = "--role", required = true, description = "viewer, operator, approver or admin")
        String role;

        @Override
        public Integer call() throws IOException {
            return shown(spec, target.client().put(Member.parse(member).path(project),
                    ServerClient.json().createObjectNode().put("role", role)), null);
        }
    }

    @Command(name = "remove-member", mixinStandardHelpOptions = true, description = "Take a user or a group out of a project (admins).")
    static final class RemoveMember implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ActionsCommand.Target target;
        @Parameters(index = "0", paramLabel = "PROJECT")
        String project;
        @Parameters(index = "1", paramLabel = "MEMBER", description = "a user (bob, user:bob) or a group (group:oncall)")
        String member;

        @Override
        public Integer call() throws IOException {
            ServerClient.Answer a = target.client().delete(Member.parse(member).path(project));
            if (!a.ok()) return ActionsCommand.fail(spec.commandLine().getErr(), a);
            if (a.json().path("role").isNull()) spec.commandLine().getOut().println("removed; you are no longer a member of " + project);
            else print(spec.commandLine().getOut(), a.json());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "set-namespaces", mixinStandardHelpOptions = true,
            description = "Change a project's namespaces (admins; only namespaces you administer may be added).")
    static final class SetNamespaces implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ActionsCommand.Target target;
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = {"-n", "--namespace"}, paramLabel = "NS", required = true,
                description = "a namespace, a prefix (team-*) or *; repeat for more (the whole new list)")
        List<String> namespaces;

        @Override
        public Integer call() throws IOException {
            ServerClient c = target.client();
            ServerClient.Answer read = c.get(path(name));
            if (!read.ok()) return ActionsCommand.fail(spec.commandLine().getErr(), read);
            // the members and budget as read, the namespaces replaced; written on the version read (a stale one: 409)
            ObjectNode body = ServerClient.json().createObjectNode().put("version", read.json().path("version").asLong());
            namespaces.forEach(body.putArray("namespaces")::add);
            body.set("users", read.json().path("users"));
            body.set("groups", read.json().path("groups"));
            if (read.json().has("budget")) body.set("budget", read.json().get("budget"));
            return shown(spec, c.put(path(name), body), null);
        }
    }

    @Command(name = "budget", mixinStandardHelpOptions = true,
            description = "Set a project's own budget (admins): it caps every model call in its namespaces, whoever asks.")
    static final class Budget implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ActionsCommand.Target target;
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--tokens", description = "model tokens per UTC day (0: no limit)")
        Long tokens;
        @Option(names = "--usd", description = "model cost in US dollars per UTC day (0: no limit)")
        Double usd;
        @Option(names = "--requests-per-minute", description = "chat requests per minute (0: no limit)")
        Integer rpm;
        @Option(names = "--concurrent-runs", description = "runs going on at once (0: no limit)")
        Integer runs;
        @Option(names = "--remove", description = "remove the project's budget")
        boolean remove;

        @Override
        public Integer call() throws IOException {
            if (remove) return shown(spec, target.client().delete(path(name) + "/budget"), null);
            ObjectNode body = ServerClient.json().createObjectNode();
            if (tokens != null) body.put("tokensPerDay", tokens);
            if (usd != null) body.put("usdPerDay", usd);
            if (rpm != null) body.put("requestsPerMinute", rpm);
            if (runs != null) body.put("concurrentRuns", runs);
            if (body.isEmpty()) {
                spec.commandLine().getErr().println("opsagent: give --tokens, --usd, --requests-per-minute or --concurrent-runs (or --remove)");
                spec.commandLine().getErr().flush();
                return Main.EXIT_BAD_INPUT;
            }
            return shown(spec, target.client().put(path(name) + "/budget", body), null);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a project (admins): its members no longer see its namespaces through it.")
    static final class Delete implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ActionsCommand.Target target;
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--version", description = "delete only if it is still at this version (default: the one read now)")
        Long version;

        @Override
        public Integer call() throws IOException {
            ServerClient c = target.client();
            long v;
            if (version != null) {
                v = version;
            } else {
                ServerClient.Answer read = c.get(path(name));
                if (!read.ok()) return ActionsCommand.fail(spec.commandLine().getErr(), read);
                if (!read.json().has("version")) {
                    spec.commandLine().getErr().println("opsagent: you are " + read.json().path("role").asText()
                            + " in project " + name + ": deleting it needs admin");
                    spec.commandLine().getErr().flush();
                    return 1;
                }
                v = read.json().path("version").asLong();
            }
            ServerClient.Answer a = c.delete(path(name) + "?version=" + v);
            if (!a.ok()) return ActionsCommand.fail(spec.commandLine().getErr(), a);
            spec.commandLine().getOut().println("deleted project " + name + " (version " + v + ")");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}

package io.opsagent.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code opsagent alert FILE}: delivers an alert (Alertmanager's webhook payload, or an EventBridge CloudWatch alarm
 * event; samples in {@code events/alerts/}) to a running OpsAgent, which records it and investigates it once per
 * episode, and prints what was done.
 */
@Command(name = "alert", mixinStandardHelpOptions = true,
        description = "Deliver an alert file (Alertmanager webhook payload or CloudWatch alarm event) to a running OpsAgent; "
                + "it is recorded and investigated once per episode (samples: events/alerts/).")
final class AlertCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ActionsCommand.Target target;
    @Parameters(paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        JsonNode body;
        try {
            body = ServerClient.json().readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            err.println("opsagent: no such file: " + file);
            err.flush();
            return Main.EXIT_BAD_INPUT;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            err.println("opsagent: " + file + " is not JSON: " + e.getOriginalMessage());
            err.flush();
            return Main.EXIT_BAD_INPUT;
        }
        ServerClient c = target.client();
        ServerClient.Answer a = c.post("/api/alerts", body);
        if (!a.ok()) return ActionsCommand.fail(err, a);
        JsonNode r = a.json();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s: %d alert%s received, %d duplicate, %d opened, %d attached, %d grouped, %d investigated, %d skipped, %d resolved%s%n",
                r.path("source").asText(), r.path("received").asInt(), r.path("received").asInt() == 1 ? "" : "s",
                r.path("duplicates").asInt(), r.path("opened").asInt(), r.path("attached").asInt(), r.path("grouped").asInt(),
                r.path("investigated").asInt(), r.path("skipped").asInt(), r.path("resolved").asInt(),
                r.path("truncated").asInt() > 0 ? " (" + r.path("truncated").asInt() + " more alerts were cut by Alertmanager)" : "");
        for (JsonNode o : r.path("outcomes")) out.println("  " + o.asText());
        out.println("see them: the Alerts API (GET /api/alerts) and the Runs page (source alert)");
        out.flush();
        return 0;
    }
}

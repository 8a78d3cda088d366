package io.opsagent.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsagent.adapters.dynamodb.DynamoAuditLog;
import io.opsagent.adapters.dynamodb.LocalDynamo;
import io.opsagent.adapters.dynamodb.TableNames;
import io.opsagent.core.actions.AuditRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code opsagent audit}: the audit log of a running OpsAgent, newest first, filtered; {@code opsagent audit verify}
 * checks its hash chain, in a stopped OpsAgent's data directory ({@code --data}) or through the running server. Exit 0
 * when the chain is intact, 1 naming the first broken record.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Show the audit log of a running OpsAgent; 'audit verify' checks its hash chain.",
        subcommands = {AuditCommand.Verify.class})
final class AuditCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ActionsCommand.Target target;
    @Option(names = "--workload", paramLabel = "NS/KIND/NAME", description = "only this workload (or a prefix: shop/)")
    String workload;
    @Option(names = "--by", paramLabel = "USER", description = "only what this user did")
    String by;
    @Option(names = "--action", description = "only this action or record type (set-resources, approved, ...)")
    String action;
    @Option(names = "--proposal", paramLabel = "ID", description = "only this proposal's records")
    String proposal;
    @Option(names = "--limit", defaultValue = "50", description = "at most this many records (default 50)")
    int limit;

    @Override
    public Integer call() throws IOException {
        StringBuilder q = new StringBuilder("/api/audit?limit=" + limit);
        add(q, "workload", workload);
        add(q, "user", by);
        add(q, "action", action);
        add(q, "proposal", proposal);
        ServerClient.Answer a = target.client().get(q.toString());
        if (!a.ok()) return ActionsCommand.fail(spec.commandLine().getErr(), a);
        PrintWriter out = spec.commandLine().getOut();
        if (a.json().path("items").isEmpty()) out.println("no audit records");
        for (JsonNode r : a.json().path("items")) {
            out.printf("%6d %s %-15s %-8s %-14s %s %s%n", r.path("seq").asLong(), r.path("at").asText(),
                    r.path("type").asText(), r.path("actor").asText(), r.path("proposalId").asText(),
                    r.path("workload").asText(), r.path("action").asText());
        }
        out.flush();
        return 0;
    }

    private static void add(StringBuilder q, String k, String v) {
        if (v != null) q.append('&').append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check the audit log's hash chain: exit 0 when intact, 1 naming the first broken record.")
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ActionsCommand.Target target;
        @Option(names = "--data", paramLabel = "DIR", description = "a stopped OpsAgent's data directory (default: ask the"
                + " running server)")
        Path data;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            long t0 = System.nanoTime();
            AuditRecord.Verdict v;
            if (data != null) {
                if (!Files.isDirectory(data)) throw new IllegalArgumentException("--data " + data + " is not a directory");
                try (LocalDynamo db = LocalDynamo.start(data)) {
                    v = new DynamoAuditLog(db.client(), TableNames.DEFAULT, Clock.systemUTC()).verify();
                } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException e) {
                    throw new IllegalArgumentException("--data " + data + " holds no audit log (no actions table)");
                }
            } else {
                ServerClient.Answer a = target.client().get("/api/audit/verify");
                if (a.status() != 200 && a.status() != 409) return ActionsCommand.fail(spec.commandLine().getErr(), a);
                JsonNode j = a.json();
                v = new AuditRecord.Verdict(j.path("intact").asBoolean(), j.path("records").asLong(),
                        j.has("firstBroken") ? j.get("firstBroken").asLong() : null, j.path("reason").asText(null));
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (v.intact()) {
                out.printf("audit log intact: %d records, hash chain verified in %d ms%n", v.count(), ms);
                out.flush();
                return 0;
            }
            out.printf("audit log BROKEN at record %d: %s (%d records before it verified)%n", v.firstBroken(), v.reason(), v.count());
            out.flush();
            return 1;
        }
    }
}

package io.opsagent.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.adapters.stepfunctions.LocalStack;
import io.opsagent.adapters.stepfunctions.SfnOrchestrator;
import io.opsagent.adapters.stepfunctions.StateMachines;
import io.opsagent.app.config.Assembly;
import io.opsagent.app.config.Clusters;
import io.opsagent.app.config.EngineInvestigator;
import io.opsagent.core.actions.ActionService;
import io.opsagent.core.actions.ApprovalPolicy;
import io.opsagent.core.agent.EngineConfig;
import io.opsagent.core.agent.InMemoryRunStore;
import io.opsagent.core.agent.InMemorySessionStore;
import io.opsagent.core.agent.offline.OfflineAnalyst;
import io.opsagent.core.alerts.AlertService;
import io.opsagent.core.alerts.AlertStore;
import io.opsagent.core.alerts.AlertTemplates;
import io.opsagent.core.alerts.Episode;
import io.opsagent.core.changes.ChangeOrchestrator;
import io.opsagent.core.changes.ChangePolicy;
import io.opsagent.core.changes.ChangeService;
import io.opsagent.core.changes.ChangeStore;
import io.opsagent.core.tools.SnapshotProvider;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The SAM application's alert path, on LocalStack: a CloudWatch alarm event through {@link AlertHandler} starts an
 * execution of {@code statemachines/investigation.asl.json} (the deployed file, its substitutions filled as SAM fills
 * them); each step the machine puts on the task queue is handed to {@link ChangeWorkerHandler} as the SQS event
 * source would (a batch of records), which investigates with the offline analyst over the demo cluster and delivers
 * the findings to a local server answering as Slack's webhook.
 */
class InvestigationMachineOnLocalStackTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anAlarmIsInvestigatedAndDeliveredThroughTheStateMachineAndTheWorker() throws Exception {
        Path root = TemplateTest.checkoutRoot();
        LocalStack ls = LocalStack.ensure(LocalStack.checkoutRoot(), LocalStack.testPort());
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        var sqs = ls.sqs();
        String tasks = sqs.createQueue(r -> r.queueName("investigation-tasks-" + suffix)).queueUrl();
        String dlq = sqs.createQueue(r -> r.queueName("investigation-dlq-" + suffix)).queueUrl();
        String arn = ls.sfn().createStateMachine(r -> r.name("opsagent-investigation-" + suffix).roleArn("arn:aws:iam::000000000000:role/sfn")
                .definition(definition(root, tasks, dlq))).stateMachineArn();
        SfnOrchestrator machine = new SfnOrchestrator(ls.sfn(), arn);

        List<JsonNode> slack = new CopyOnWriteArrayList<>();
        var recorder = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        recorder.createContext("/services/T0/B0/x", x -> {
            slack.add(JSON.readTree(x.getRequestBody()));
            x.sendResponseHeaders(200, 2);
            x.getResponseBody().write("ok".getBytes());
            x.close();
        });
        recorder.start();
        InMemoryRunStore runs = new InMemoryRunStore();
        AlertService svc = new AlertService(new AlertStore.InMemory(), AlertTemplates.standard(),
                new AlertService.Policy("opsagent", Duration.ofMinutes(10), 3), Clock.systemUTC());
        var engine = Assembly.engine(new OfflineAnalyst(), SnapshotProvider.of(Clusters.read(root.resolve("events/clusters/demo"), false)),
                runs, new InMemorySessionStore(), EngineConfig.defaults());
        svc.investigator(new EngineInvestigator(engine, "alert").onFinished(run -> svc.finished(run.id(), run.status().json(), run.finalAnswer())));
        svc.notifier(io.opsagent.core.notify.Notifier.all(io.opsagent.core.redact.Redactor.standard(), List.of(
                new io.opsagent.adapters.notify.SlackNotifier(URI.create("http://127.0.0.1:" + recorder.getAddress().getPort()
                        + "/services/T0/B0/x")))), "https://opsagent.example");
        svc.machine(machine);
        ActionService actions = new ActionService(null, null, null, new ApprovalPolicy(null, true, Set.of(), Duration.ofMinutes(15)),
                null, Clock.systemUTC(), Runnable::run, null);
        ChangeService changes = new ChangeService(new ChangeStore.InMemory(), actions, null, machine,
                ChangePolicy.LOCAL.withTimes(Duration.ZERO, Duration.ofMinutes(15), Duration.ofMinutes(5)), Clock.systemUTC());
        try {
            ChangeWorkerHandler worker = new ChangeWorkerHandler(changes).alerts(svc, runs);
            AlertHandler alarms = new AlertHandler(svc, null);
            JsonNode in = invoke(alarms, Files.readString(root.resolve("events/alerts/cloudwatch-alarm.json")));
            assertThat(in.path("investigated").asInt()).as(in.toString()).isEqualTo(1);
            Episode episode = svc.store().list(10).get(0);
            assertThat(episode.decision()).startsWith("investigation started: execution " + episode.id());

            // the SQS event source: each message on the task queue becomes a one-record batch for the worker
            ChangeOrchestrator.Execution ex = null;
            long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < until) {
                for (var m : sqs.receiveMessage(r -> r.queueUrl(tasks).maxNumberOfMessages(1).waitTimeSeconds(1)).messages()) {
                    ObjectNode event = JSON.createObjectNode();
                    event.putArray("Records").addObject().put("messageId", m.messageId()).put("body", m.body());
                    JsonNode out = invoke(worker, event.toString());
                    assertThat(out.path("batchItemFailures")).isEmpty();
                    sqs.deleteMessage(r -> r.queueUrl(tasks).receiptHandle(m.receiptHandle()));
                }
                ex = machine.describe(episode.id());
                if (ex != null && !ex.status().equals("RUNNING")) break;
            }
            assertThat(ex).isNotNull();
            assertThat(ex.status()).as(ex.currentState() + " " + ex.error() + " " + ex.cause()).isEqualTo("SUCCEEDED");
            assertThat(ex.states()).extracting(ChangeOrchestrator.StateRun::name)
                    .containsExactly("Intake", "Needs an investigation?", "Investigate", "Deliver the findings");
            Episode done = svc.store().get(episode.id()).orElseThrow();
            assertThat(done.runId()).isNotNull();
            assertThat(done.delivery()).startsWith("delivered at");
            assertThat(runs.get("opsagent", done.runId()).orElseThrow().source()).isEqualTo("alert");
            assertThat(slack.stream().filter(m -> m.toString().contains(": investigated"))).singleElement().satisfies(m -> assertThat(m.toString())
                    .contains("on shop/orders: investigated").contains("https://opsagent.example/#/runs?run=" + done.runId()));
            assertThat(sqs.receiveMessage(r -> r.queueUrl(dlq).waitTimeSeconds(0)).messages()).isEmpty();
        } finally {
            changes.close();
            recorder.stop(0);
        }
    }

    private static String definition(Path root, String tasks, String dlq) {
        try {
            return StateMachines.definition(root.resolve("statemachines/investigation.asl.json"),
                    Map.of("ChangeTaskQueueUrl", tasks, "AlertDeadLetterQueueUrl", dlq));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode invoke(com.amazonaws.services.lambda.runtime.RequestStreamHandler h, String event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        h.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return JSON.readTree(out.toByteArray());
    }
}

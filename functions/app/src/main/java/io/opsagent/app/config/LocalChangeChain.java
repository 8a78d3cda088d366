package io.opsagent.app.config;

import io.opsagent.adapters.stepfunctions.LocalStack;
import io.opsagent.adapters.stepfunctions.SfnOrchestrator;
import io.opsagent.adapters.stepfunctions.StateMachines;
import io.opsagent.adapters.stepfunctions.TaskQueue;
import io.opsagent.core.actions.ActionService;
import io.opsagent.core.actions.ClusterActions;
import io.opsagent.core.changes.ChangePolicy;
import io.opsagent.core.changes.ChangeService;
import io.opsagent.core.changes.ChangeStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.StateMachineListItem;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The change chain on a laptop: {@code statemachines/change.asl.json} (the file deployed to AWS) on LocalStack's Step
 * Functions in host mode ({@code aws-local/localstack}, started if it does not answer), its steps read from a local
 * SQS queue by this process and done by {@link ChangeService}. The state machine is created, or updated to the file,
 * on every start, so an edit of the file is what runs next. A LocalStack this process started is stopped with it.
 */
public final class LocalChangeChain implements AutoCloseable {
    static final String MACHINE = "opsagent-change";
    static final String QUEUE = "opsagent-change-tasks";
    private final SfnOrchestrator orchestrator;
    private final SqsClient sqs;
    private final String queueUrl;
    private final String endpoint;
    private final LocalStack localstack;
    private TaskQueue queue;
    private ChangeService service;

    private LocalChangeChain(SfnOrchestrator orchestrator, SqsClient sqs, String queueUrl, String endpoint,
                             LocalStack localstack) {
        this.localstack = localstack;
        this.orchestrator = orchestrator;
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.endpoint = endpoint;
    }

    /** LocalStack on {@code port} (started and, the first time, installed), the queue and the state machine. */
    public static LocalChangeChain start(Path repoRoot, int port) throws IOException {
        Path asl = repoRoot.resolve("statemachines/change.asl.json");
        if (!Files.isRegularFile(asl)) throw new IOException("the change chain's definition is missing: " + asl);
        LocalStack ls = LocalStack.ensure(repoRoot, port);
        SqsClient sqs = ls.sqs();
        String url = sqs.createQueue(r -> r.queueName(QUEUE)).queueUrl();
        String definition = StateMachines.definition(asl, Map.of("ChangeTaskQueueUrl", url));
        SfnClient sfn = ls.sfn();
        String arn = sfn.listStateMachines().stateMachines().stream().filter(m -> m.name().equals(MACHINE))
                .map(StateMachineListItem::stateMachineArn).findFirst().orElse(null);
        if (arn == null) {
            arn = sfn.createStateMachine(r -> r.name(MACHINE).definition(definition)
                    .roleArn("arn:aws:iam::000000000000:role/opsagent-change-chain")).stateMachineArn();
        } else {
            String a = arn;
            sfn.updateStateMachine(r -> r.stateMachineArn(a).definition(definition));
        }
        return new LocalChangeChain(new SfnOrchestrator(sfn, arn), sqs, url, ls.endpoint().toString(), ls);
    }

    /**
     * The change service over {@code actions} with its changes in {@code store}, and the queue's reader doing its
     * steps. Changes whose chain stopped while OpsAgent was down are ended first ({@link ChangeService#recover}).
     */
    public ChangeService service(ActionService actions, ClusterActions cluster, ChangePolicy policy, ChangeStore store) {
        service = new ChangeService(store, actions, cluster, orchestrator, policy, Clock.systemUTC());
        int ended = service.recover();
        if (ended > 0) {
            java.util.logging.Logger.getLogger("io.opsagent.changes").warning(ended + " change(s) whose chain stopped while"
                    + " OpsAgent was down are ended as error (their records say why)");
        }
        queue = new TaskQueue(sqs, queueUrl, service::handle, 2, 8).start();
        return service;
    }

    public String describe() {
        return "LocalStack Step Functions at " + endpoint + " (state machine " + MACHINE + ")";
    }

    /** Stops reading the queue, and LocalStack if this process started it (its executions end with it). */
    @Override
    public void close() {
        if (queue != null) queue.close();
        if (service != null) service.close();
        localstack.stopIfStartedHere();
    }
}

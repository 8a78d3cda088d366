package io.opsagent.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.opsagent.adapters.stepfunctions.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.RuleState;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The template's alarm rule, its pattern read from template.yaml, on LocalStack's EventBridge (an independent
 * implementation of the pattern matching): the sample ALARM and OK events reach the target; INSUFFICIENT_DATA, a
 * configuration change and another service's event do not.
 */
class AlertRuleOnLocalStackTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void alarmAndOkReachTheTargetAndNothingElseDoes() throws Exception {
        Path root = TemplateTest.checkoutRoot();
        JsonNode template = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(root.resolve("template.yaml")));
        JsonNode pattern = template.path("Resources").path("AlertFunction").path("Properties").path("Events")
                .path("CloudWatchAlarms").path("Properties").path("Pattern");
        assertThat(pattern.isObject()).isTrue();
        LocalStack ls = LocalStack.ensure(LocalStack.checkoutRoot(), LocalStack.testPort());
        try (EventBridgeClient eb = EventBridgeClient.builder().endpointOverride(ls.endpoint()).region(LocalStack.REGION)
                .credentialsProvider(LocalStack.CREDS)
                .httpClient(UrlConnectionHttpClient.create()).build();
             SqsClient sqs = ls.sqs()) {
            String name = "opsagent-alarms-" + UUID.randomUUID().toString().substring(0, 8);
            String queue = sqs.createQueue(r -> r.queueName(name)).queueUrl();
            String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queue).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            eb.putRule(r -> r.name(name).eventPattern(pattern.toString()).state(RuleState.ENABLED));
            eb.putTargets(r -> r.rule(name).targets(Target.builder().id("alerts").arn(queueArn).build()));

            List<PutEventsRequestEntry> entries = new ArrayList<>();
            Path events = root.resolve("events/alerts");
            ObjectNode alarm = (ObjectNode) JSON.readTree(Files.readString(events.resolve("cloudwatch-alarm.json")));
            ObjectNode ok = (ObjectNode) JSON.readTree(Files.readString(events.resolve("cloudwatch-ok.json")));
            ObjectNode insufficient = alarm.deepCopy();
            ((ObjectNode) insufficient.path("detail").path("state")).put("value", "INSUFFICIENT_DATA");
            ObjectNode configChange = alarm.deepCopy();
            configChange.put("detail-type", "CloudWatch Alarm Configuration Change");
            ObjectNode other = alarm.deepCopy();
            other.put("source", "aws.ec2");
            for (ObjectNode e : List.of(alarm, ok, insufficient, configChange, other)) entries.add(entry(e));
            var put = eb.putEvents(r -> r.entries(entries));
            assertThat(put.failedEntryCount()).isZero();

            List<String> got = new ArrayList<>();
            long until = System.nanoTime() + 15_000_000_000L;
            while (System.nanoTime() < until && got.size() < 2) {
                for (Message m : sqs.receiveMessage(r -> r.queueUrl(queue).waitTimeSeconds(1).maxNumberOfMessages(10)).messages()) {
                    JsonNode e = JSON.readTree(m.body());
                    got.add(e.path("detail-type").asText() + " " + e.path("detail").path("state").path("value").asText());
                    sqs.deleteMessage(r -> r.queueUrl(queue).receiptHandle(m.receiptHandle()));
                }
            }
            // a little longer: nothing else arrives
            for (Message m : sqs.receiveMessage(r -> r.queueUrl(queue).waitTimeSeconds(2).maxNumberOfMessages(10)).messages()) {
                JsonNode e = JSON.readTree(m.body());
                got.add(e.path("detail-type").asText() + " " + e.path("detail").path("state").path("value").asText());
            }
            assertThat(got).containsExactlyInAnyOrder("CloudWatch Alarm State Change ALARM", "CloudWatch Alarm State Change OK");
            eb.removeTargets(r -> r.rule(name).ids("alerts"));
            eb.deleteRule(r -> r.name(name));
            sqs.deleteQueue(r -> r.queueUrl(queue));
        }
    }

    private static PutEventsRequestEntry entry(JsonNode e) {
        List<String> resources = new ArrayList<>();
        e.path("resources").forEach(r -> resources.add(r.asText()));
        return PutEventsRequestEntry.builder().source(e.path("source").asText()).detailType(e.path("detail-type").asText())
                .detail(e.path("detail").toString()).resources(resources).build();
    }
}

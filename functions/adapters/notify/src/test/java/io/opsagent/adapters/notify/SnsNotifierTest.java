package io.opsagent.adapters.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opsagent.adapters.stepfunctions.LocalStack;
import io.opsagent.core.notify.Notification;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The real SNS client against LocalStack's SNS: a topic with an SQS queue subscribed (as e-mail or AWS Chatbot would
 * be), a notification published, and what the subscriber receives read back.
 */
class SnsNotifierTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aSubscriberReceivesTheSubjectTheTextWithItsLinkAndTheEventToFilterOn() throws Exception {
        LocalStack ls = LocalStack.ensure(LocalStack.checkoutRoot(), LocalStack.testPort());
        try (SnsClient sns = SnsClient.builder().endpointOverride(ls.endpoint()).region(LocalStack.REGION)
                .credentialsProvider(LocalStack.CREDS)
                .httpClient(UrlConnectionHttpClient.create()).build();
             SqsClient sqs = ls.sqs()) {
            String name = "opsagent-notify-" + UUID.randomUUID().toString().substring(0, 8);
            String topic = sns.createTopic(r -> r.name(name)).topicArn();
            String queue = sqs.createQueue(r -> r.queueName(name)).queueUrl();
            String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queue).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(queueArn));

            new SnsNotifier(sns, topic).send(new Notification("change-approval-requested",
                    "Change chg-1 waits for approval: set-image shop/Deployment/web – risk “medium”",
                    "Requested by bob; risk medium", "http://127.0.0.1:8080/#/changes/chg-1", "shop/Deployment/web", "corr-1"));

            List<Message> got = List.of();
            for (int i = 0; i < 10 && got.isEmpty(); i++) {
                got = sqs.receiveMessage(r -> r.queueUrl(queue).waitTimeSeconds(1).maxNumberOfMessages(1)).messages();
            }
            assertThat(got).hasSize(1);
            JsonNode envelope = JSON.readTree(got.get(0).body());
            assertThat(envelope.path("TopicArn").asText()).isEqualTo(topic);
            // SNS takes printable ASCII subjects only: the dash and quotes are replaced, not refused
            assertThat(envelope.path("Subject").asText()).isEqualTo("Change chg-1 waits for approval: set-image shop/Deployment/web ? risk ?medium?");
            // a queue is a machine: it gets the JSON document (schema opsagent.notification/1)
            JsonNode doc = JSON.readTree(envelope.path("Message").asText());
            assertThat(doc.path("schema").asText()).isEqualTo("opsagent.notification/1");
            assertThat(doc.path("event").asText()).isEqualTo("change-approval-requested");
            assertThat(doc.path("text").asText()).isEqualTo("Requested by bob; risk medium");
            assertThat(doc.path("link").asText()).isEqualTo("http://127.0.0.1:8080/#/changes/chg-1");
            assertThat(doc.path("workload").asText()).isEqualTo("shop/Deployment/web");
            // what e-mail would get: the text with its link
            assertThat(JSON.readTree(SnsNotifier.message(new Notification("e", "s", "Requested by bob", "http://x/#/c",
                    null, null))).path("email").asText()).isEqualTo("Requested by bob\n\nhttp://x/#/c");
            assertThat(envelope.path("MessageAttributes").path("event").path("Value").asText()).isEqualTo("change-approval-requested");
            assertThat(envelope.path("MessageAttributes").path("workload").path("Value").asText()).isEqualTo("shop/Deployment/web");

            // a topic that does not exist: the error names it
            String gone = topic + "-gone";
            assertThatThrownBy(() -> new SnsNotifier(sns, gone).send(new Notification("e", "s", "t", null, null, null)))
                    .hasMessageContaining("SNS topic " + gone + " refused the notification");
            sns.deleteTopic(r -> r.topicArn(topic));
            sqs.deleteQueue(r -> r.queueUrl(queue));
        }
        assertThatThrownBy(() -> new SnsNotifier(SnsClient.builder().region(LocalStack.REGION).build(), "my-topic"))
                .hasMessage("not an SNS topic ARN: my-topic");
        assertThat(SnsNotifier.subject("x".repeat(120))).hasSize(100).endsWith("...");
    }
}

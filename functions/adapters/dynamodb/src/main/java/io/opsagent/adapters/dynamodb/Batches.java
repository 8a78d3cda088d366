package io.opsagent.adapters.dynamodb;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** BatchWriteItem in chunks of 25, retrying unprocessed items with backoff. */
final class Batches {
    private Batches() {
    }

    /** Deletes every key (any number) from {@code table}. */
    static void deleteAll(DynamoDbClient client, String table, List<Map<String, AttributeValue>> keys) {
        write(client, table, keys.stream().map(k -> WriteRequest.builder().deleteRequest(d -> d.key(k)).build()).toList());
    }

    /** Sends {@code requests} (any number) to {@code table}, 25 at a time; throws if some stay unprocessed. */
    static void write(DynamoDbClient client, String table, List<WriteRequest> requests) {
        for (int i = 0; i < requests.size(); i += 25) {
            chunk(client, table, requests.subList(i, Math.min(i + 25, requests.size())));
        }
    }

    private static void chunk(DynamoDbClient client, String table, List<WriteRequest> requests) {
        Map<String, List<WriteRequest>> pending = Map.of(table, requests);
        for (int attempt = 0; !pending.isEmpty() && attempt < 8; attempt++) {
            Map<String, List<WriteRequest>> batch = pending;
            BatchWriteItemResponse response = client.batchWriteItem(b -> b.requestItems(batch));
            pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
            if (!pending.isEmpty()) {
                try {
                    Thread.sleep(50L << attempt);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (!pending.isEmpty()) {
            throw new IllegalStateException("DynamoDB left " + pending.get(table).size()
                    + " writes unprocessed after 8 attempts");
        }
    }
}

package io.opsagent.adapters.dynamodb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Fills one page of a listing from Queries whose FilterExpression may drop items: keeps querying until the page
 * is full or the key range is exhausted, and makes the cursor the key of the last item returned (not DynamoDB's
 * last evaluated item) so the next page starts right after it. A page stops early, with a cursor, after
 * {@value #MAX_EVALUATED} evaluated items, so one request never reads a whole partition.
 */
final class Pager {
    /** Upper bound on the items DynamoDB evaluates for one page. */
    static final int MAX_EVALUATED = 5_000;

    /** One page: the accepted items and the start key of the next page, or null. */
    record Result(List<Map<String, AttributeValue>> items, Map<String, AttributeValue> next) {
    }

    private Pager() {
    }

    static Result page(DynamoDbClient client, QueryRequest base, int limit, Map<String, AttributeValue> start,
                       List<String> keyAttributes, Predicate<Map<String, AttributeValue>> accept) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> from = start;
        int evaluated = 0;
        int batch = Math.min(Math.max(limit * 2, 25), 500);
        while (true) {
            QueryRequest.Builder request = base.toBuilder().limit(batch);
            if (from != null) {
                request.exclusiveStartKey(from);
            }
            QueryResponse response = client.query(request.build());
            evaluated += response.scannedCount();
            boolean more = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty();
            List<Map<String, AttributeValue>> got = response.items();
            for (int i = 0; i < got.size(); i++) {
                Map<String, AttributeValue> item = got.get(i);
                if (!accept.test(item)) {
                    continue;
                }
                items.add(item);
                if (items.size() == limit) {
                    boolean rest = i < got.size() - 1 || more;
                    return new Result(items, rest ? keyOf(item, keyAttributes) : null);
                }
            }
            if (!more) {
                return new Result(items, null);
            }
            from = response.lastEvaluatedKey();
            if (evaluated >= MAX_EVALUATED) {
                return new Result(items, from);
            }
        }
    }

    /** Every item of a Query (all pages). */
    /** Every item of one partition ({@code pk = value}), in sort-key order, read consistently. */
    static List<Map<String, AttributeValue>> partition(DynamoDbClient client, String table, String pk) {
        return all(client, QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", Schema.PK))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.builder().s(pk).build()))
                .consistentRead(true)
                .build());
    }

    static List<Map<String, AttributeValue>> all(DynamoDbClient client, QueryRequest request) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        client.queryPaginator(request).forEach(page -> items.addAll(page.items()));
        return items;
    }

    private static Map<String, AttributeValue> keyOf(Map<String, AttributeValue> item, List<String> attributes) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        for (String a : attributes) {
            key.put(a, item.get(a));
        }
        return key;
    }
}

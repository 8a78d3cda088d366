package io.opsagent.adapters.dynamodb;

import static io.opsagent.adapters.dynamodb.Items.s;
import static io.opsagent.adapters.dynamodb.Schema.EXPIRES_AT;
import static io.opsagent.adapters.dynamodb.Schema.PK;
import static io.opsagent.adapters.dynamodb.Schema.SK;

import io.opsagent.core.budget.Budget;
import io.opsagent.core.budget.BudgetRefused;
import io.opsagent.core.budget.BudgetStore;
import io.opsagent.core.budget.Usage;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * {@link BudgetStore} in the actions table: one item per scope and UTC day ({@code BUDGET#<scope>#<day>}, sort key
 * {@code U}) with the tokens and millionths of a dollar used and held, expiring 35 days later. A reservation is one
 * transaction of conditional {@code ADD}s, one per budget that applies: each only if the budget's limit stays kept, all
 * or none. So concurrent reservations cannot overshoot, and a refused one holds nothing anywhere.
 */
public final class DynamoBudgetStore implements BudgetStore {
    private final DynamoDbClient db;
    private final String table;

    public DynamoBudgetStore(DynamoDbClient db, TableNames names) {
        this.db = db;
        this.table = names.actions();
    }

    static Map<String, AttributeValue> key(String scope, String day) {
        return Map.of(PK, s("BUDGET#" + scope + "#" + day), SK, s("U"));
    }

    private static AttributeValue n(long v) {
        return AttributeValue.builder().n(Long.toString(v)).build();
    }

    private static long expires(String day) {
        return LocalDate.parse(day).plusDays(35).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }

    @Override
    public void reserve(List<Budget> budgets, String day, long tokens, long microUsd, Instant resetsAt) {
        List<TransactWriteItem> writes = new ArrayList<>();
        for (Budget b : budgets) {
            // a turn larger than the whole budget is refused without a write
            if (b.tokensPerDay() > 0 && tokens > b.tokensPerDay()) {
                throw new BudgetRefused(b.scope(), "tokens", b.tokensPerDay(), usage(b.scope(), day).tokens(), resetsAt);
            }
            if (b.microUsdPerDay() > 0 && microUsd > b.microUsdPerDay()) {
                throw new BudgetRefused(b.scope(), "cost", b.microUsdPerDay(), usage(b.scope(), day).microUsd(), resetsAt);
            }
            Map<String, String> names = new HashMap<>(Map.of("#t", "tokens", "#u", "microUsd", "#exp", EXPIRES_AT,
                    "#scope", "scope", "#day", "day"));
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":t", n(tokens), ":u", n(microUsd),
                    ":exp", n(expires(day)), ":scope", s(b.scope()), ":day", s(day)));
            List<String> conditions = new ArrayList<>();
            if (b.tokensPerDay() > 0) {
                conditions.add("(attribute_not_exists(#t) OR #t <= :tmax)");
                values.put(":tmax", n(b.tokensPerDay() - tokens));
            }
            if (b.microUsdPerDay() > 0) {
                conditions.add("(attribute_not_exists(#u) OR #u <= :umax)");
                values.put(":umax", n(b.microUsdPerDay() - microUsd));
            }
            Update.Builder u = Update.builder().tableName(table).key(key(b.scope(), day))
                    .updateExpression("ADD #t :t, #u :u SET #exp = if_not_exists(#exp, :exp), #scope = :scope, #day = :day")
                    .expressionAttributeNames(names).expressionAttributeValues(values);
            if (!conditions.isEmpty()) u.conditionExpression(String.join(" AND ", conditions));
            writes.add(TransactWriteItem.builder().update(u.build()).build());
        }
        if (writes.isEmpty()) return;
        write(writes, i -> refusal(budgets.get(i), day, tokens, resetsAt));
    }

    private BudgetRefused refusal(Budget b, String day, long tokens, Instant resetsAt) {
        Usage now = usage(b.scope(), day);
        if (b.tokensPerDay() > 0 && now.tokens() + tokens > b.tokensPerDay()) {
            return new BudgetRefused(b.scope(), "tokens", b.tokensPerDay(), now.tokens(), resetsAt);
        }
        return new BudgetRefused(b.scope(), "cost", b.microUsdPerDay(), now.microUsd(), resetsAt);
    }

    @Override
    public void count(List<Budget> budgets, String minute, Instant nextMinute) {
        List<Budget> rated = budgets.stream().filter(b -> b.requestsPerMinute() > 0).toList();
        List<TransactWriteItem> writes = new ArrayList<>();
        long expires = nextMinute.plusSeconds(3600).getEpochSecond();
        for (Budget b : rated) {
            writes.add(TransactWriteItem.builder().update(Update.builder().tableName(table).key(rateKey(b.scope(), minute))
                    .updateExpression("ADD #n :one SET #exp = if_not_exists(#exp, :exp)")
                    .conditionExpression("attribute_not_exists(#n) OR #n < :limit")
                    .expressionAttributeNames(Map.of("#n", "requests", "#exp", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":one", n(1), ":limit", n(b.requestsPerMinute()), ":exp", n(expires)))
                    .build()).build());
        }
        if (writes.isEmpty()) return;
        java.util.function.IntFunction<BudgetRefused> refusal = i -> {
            Budget b = rated.get(i);
            Map<String, AttributeValue> item = db.getItem(r -> r.tableName(table).key(rateKey(b.scope(), minute)).consistentRead(true)).item();
            long used = item == null || !item.containsKey("requests") ? 0 : Long.parseLong(item.get("requests").n());
            return new BudgetRefused(b.scope(), "requests", b.requestsPerMinute(), used, nextMinute);
        };
        write(writes, refusal);
    }

    static Map<String, AttributeValue> rateKey(String scope, String minute) {
        return Map.of(PK, s("BUDGET#" + scope + "#" + minute), SK, s("R"));
    }

    /** The writes as one conditional update, or one transaction retried on conflicts; a failed condition → refusal(i). */
    private void write(List<TransactWriteItem> writes, java.util.function.IntFunction<BudgetRefused> refusal) {
        if (writes.size() == 1) {
            Update u = writes.get(0).update();
            try {
                db.updateItem(r -> r.tableName(u.tableName()).key(u.key()).updateExpression(u.updateExpression())
                        .conditionExpression(u.conditionExpression()).expressionAttributeNames(u.expressionAttributeNames())
                        .expressionAttributeValues(u.expressionAttributeValues()));
                return;
            } catch (ConditionalCheckFailedException e) {
                throw refusal.apply(0);
            }
        }
        for (int attempt = 1; ; attempt++) {
            try {
                db.transactWriteItems(r -> r.transactItems(writes));
                return;
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.cancellationReasons();
                for (int i = 0; i < reasons.size() && i < writes.size(); i++) {
                    if ("ConditionalCheckFailed".equals(reasons.get(i).code())) throw refusal.apply(i);
                }
                if (attempt >= 25) throw e; // the caller fails closed
                try {
                    Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(2, 10L * attempt));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    @Override
    public void settle(List<String> scopes, String day, long tokens, long microUsd) {
        if (tokens == 0 && microUsd == 0) return;
        for (String scope : scopes) {
            db.updateItem(r -> r.tableName(table).key(key(scope, day)).updateExpression("ADD #t :t, #u :u")
                    .expressionAttributeNames(Map.of("#t", "tokens", "#u", "microUsd"))
                    .expressionAttributeValues(Map.of(":t", n(tokens), ":u", n(microUsd))));
        }
    }

    @Override
    public Usage usage(String scope, String day) {
        Map<String, AttributeValue> item = db.getItem(r -> r.tableName(table).key(key(scope, day)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) return Usage.none(scope, day);
        return new Usage(scope, day, item.containsKey("tokens") ? Long.parseLong(item.get("tokens").n()) : 0,
                item.containsKey("microUsd") ? Long.parseLong(item.get("microUsd").n()) : 0);
    }
}

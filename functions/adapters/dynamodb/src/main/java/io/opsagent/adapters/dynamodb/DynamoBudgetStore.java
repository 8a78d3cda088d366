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
    public List<Usage> reserve(List<Budget> budgets, String day, long tokens, long microUsd, Instant resetsAt) {
        return hold(budgets.stream().filter(Budget::limits).toList(), day, null, tokens, microUsd, resetsAt, null);
    }

    @Override
    public List<Usage> admitAndReserve(List<Budget> budgets, String day, String minute, long tokens, long microUsd,
                                       Instant resetsAt, Instant nextMinute) {
        return hold(budgets, day, minute, tokens, microUsd, resetsAt, nextMinute);
    }

    /** The day item's attribute counting the requests of {@code minute} ({@code 2026-12-06T10:15} → {@code rq1015}). */
    static String rateAttribute(String minute) {
        return "rq" + minute.substring(11, 13) + minute.substring(14, 16);
    }

    /**
     * One conditional update of each budget's day item: tokens and cost added (limits kept), and with {@code minute}
     * the minute's request count added (rate kept). One item: one update; several: one transaction. All or none.
     */
    private List<Usage> hold(List<Budget> budgets, String day, String minute, long tokens, long microUsd, Instant resetsAt,
                             Instant nextMinute) {
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
            String add = "ADD #t :t, #u :u";
            if (b.tokensPerDay() > 0) {
                conditions.add("(attribute_not_exists(#t) OR #t <= :tmax)");
                values.put(":tmax", n(b.tokensPerDay() - tokens));
            }
            if (b.microUsdPerDay() > 0) {
                conditions.add("(attribute_not_exists(#u) OR #u <= :umax)");
                values.put(":umax", n(b.microUsdPerDay() - microUsd));
            }
            if (minute != null && b.requestsPerMinute() > 0) {
                names.put("#rq", rateAttribute(minute));
                values.put(":one", n(1));
                values.put(":rpm", n(b.requestsPerMinute()));
                conditions.add("(attribute_not_exists(#rq) OR #rq < :rpm)");
                add += ", #rq :one";
            }
            Update.Builder u = Update.builder().tableName(table).key(key(b.scope(), day))
                    .updateExpression(add + " SET #exp = if_not_exists(#exp, :exp), #scope = :scope, #day = :day")
                    .expressionAttributeNames(names).expressionAttributeValues(values);
            if (!conditions.isEmpty()) u.conditionExpression(String.join(" AND ", conditions));
            writes.add(TransactWriteItem.builder().update(u.build()).build());
        }
        if (writes.isEmpty()) return List.of();
        Map<String, AttributeValue> after = write(writes, i -> refusal(budgets.get(i), day, minute, tokens, microUsd, resetsAt, nextMinute));
        if (after == null || budgets.size() != 1) return List.of(); // a transaction says nothing of the new values
        return List.of(new Usage(budgets.get(0).scope(), day, after.containsKey("tokens") ? Long.parseLong(after.get("tokens").n()) : 0,
                after.containsKey("microUsd") ? Long.parseLong(after.get("microUsd").n()) : 0));
    }

    private BudgetRefused refusal(Budget b, String day, String minute, long tokens, long microUsd, Instant resetsAt,
                                  Instant nextMinute) {
        Map<String, AttributeValue> item = db.getItem(r -> r.tableName(table).key(key(b.scope(), day)).consistentRead(true)).item();
        java.util.function.ToLongFunction<String> num = a -> item == null || !item.containsKey(a) ? 0 : Long.parseLong(item.get(a).n());
        if (minute != null && b.requestsPerMinute() > 0 && num.applyAsLong(rateAttribute(minute)) >= b.requestsPerMinute()) {
            return new BudgetRefused(b.scope(), "requests", b.requestsPerMinute(), num.applyAsLong(rateAttribute(minute)), nextMinute);
        }
        if (b.tokensPerDay() > 0 && num.applyAsLong("tokens") + tokens > b.tokensPerDay()) {
            return new BudgetRefused(b.scope(), "tokens", b.tokensPerDay(), num.applyAsLong("tokens"), resetsAt);
        }
        return new BudgetRefused(b.scope(), "cost", b.microUsdPerDay(), num.applyAsLong("microUsd"), resetsAt);
    }

    /** The writes as one conditional update, or one transaction retried on conflicts; a failed condition → refusal(i). */
    private Map<String, AttributeValue> write(List<TransactWriteItem> writes, java.util.function.IntFunction<BudgetRefused> refusal) {
        if (writes.size() == 1) {
            Update u = writes.get(0).update();
            try {
                return db.updateItem(r -> r.tableName(u.tableName()).key(u.key()).updateExpression(u.updateExpression())
                        .conditionExpression(u.conditionExpression()).expressionAttributeNames(u.expressionAttributeNames())
                        .expressionAttributeValues(u.expressionAttributeValues())
                        .returnValues(software.amazon.awssdk.services.dynamodb.model.ReturnValue.UPDATED_NEW)).attributes();
            } catch (ConditionalCheckFailedException e) {
                throw refusal.apply(0);
            }
        }
        for (int attempt = 1; ; attempt++) {
            try {
                db.transactWriteItems(r -> r.transactItems(writes));
                return null;
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

    /** Run slot {@code i} of {@code scope}: {@code BUDGET#<scope>#slots}, sort key {@code S<i>}. */
    static Map<String, AttributeValue> slotKey(String scope, int i) {
        return Map.of(PK, s("BUDGET#" + scope + "#slots"), SK, s("S" + i));
    }

    @Override
    public int acquire(String scope, int limit, String runId, Instant now, Instant expires) {
        for (int i = 0; i < limit; i++) {
            Map<String, AttributeValue> item = new HashMap<>(slotKey(scope, i));
            item.put("runId", s(runId));
            item.put("leaseUntil", n(expires.getEpochSecond()));
            item.put(EXPIRES_AT, n(expires.plusSeconds(3600).getEpochSecond()));
            try {
                // free, or held by a run whose lease ended (it crashed without giving it back)
                db.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(#pk) OR #lease < :now")
                        .expressionAttributeNames(Map.of("#pk", PK, "#lease", "leaseUntil"))
                        .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond()))));
                return i;
            } catch (ConditionalCheckFailedException taken) {
                // the next slot
            }
        }
        throw new BudgetRefused(scope, "concurrent", limit, limit, null);
    }

    @Override
    public void release(String scope, int slot, String runId) {
        try {
            db.deleteItem(r -> r.tableName(table).key(slotKey(scope, slot)).conditionExpression("#run = :run")
                    .expressionAttributeNames(Map.of("#run", "runId")).expressionAttributeValues(Map.of(":run", s(runId))));
        } catch (ConditionalCheckFailedException gone) {
            // its lease ended and another run holds it now: nothing of ours to give back
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

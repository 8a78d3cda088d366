package io.opsagent.adapters.dynamodb;

import static io.opsagent.adapters.dynamodb.Items.s;

import io.opsagent.core.runs.Message;
import io.opsagent.core.runs.Page;
import io.opsagent.core.runs.Run;
import io.opsagent.core.runs.RunQuery;
import io.opsagent.core.runs.RunStats;
import io.opsagent.core.runs.RunStatus;
import io.opsagent.core.runs.RunStore;
import io.opsagent.core.runs.SessionStore;
import io.opsagent.core.runs.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * {@link RunStore} over the runs table (see docs/storage.md). A run is the item {@code (RUN#<id>, RUN)}, its
 * steps are {@code (RUN#<id>, STEP#<0000000001>)}; the run item alone carries the keys of the indexes
 * {@code byUser} (a user's runs by start time) and {@code byUserStatus} (the same, one status). Uses only
 * GetItem, PutItem, UpdateItem and Query — never Scan.
 *
 * <p>Uses the low-level client: every request is explicit (conditions, projections, index choice), there is no
 * reflection-built schema to initialise at cold start, and the item shapes differ per entity.
 */
public final class DynamoRunStore implements RunStore {
    private static final List<String> USER_INDEX_KEY =
            List.of(Schema.PK, Schema.SK, Schema.GSI1_PK, Schema.GSI1_SK);
    private static final List<String> STATUS_INDEX_KEY =
            List.of(Schema.PK, Schema.SK, Schema.GSI2_PK, Schema.GSI2_SK);

    private final DynamoDbClient client;
    private final String table;

    public DynamoRunStore(DynamoDbClient client, TableNames tables) {
        this.client = Objects.requireNonNull(client, "client");
        this.table = tables.runs();
    }

    /**
     * Stores a new run and, in the same transaction, its live-run marker ({@link #running()} reads the markers);
     * fails with IllegalStateException if a run with this id exists.
     */
    @Override
    public void create(Run run) {
        Put put = Put.builder().tableName(table).item(RunItems.toItem(run))
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", Schema.PK)).build();
        try {
            if (run.status().terminal()) { // imported or finished already: no live marker
                client.putItem(b -> b.tableName(table).item(put.item()).conditionExpression(put.conditionExpression())
                        .expressionAttributeNames(put.expressionAttributeNames()));
                return;
            }
            client.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder().put(put).build(),
                    TransactWriteItem.builder().put(Put.builder().tableName(table).item(RunItems.liveItem(run)).build())
                            .build()));
        } catch (TransactionCanceledException | ConditionalCheckFailedException e) {
            throw new IllegalStateException("run " + run.id() + " already exists", e);
        }
    }

    /**
     * Replaces the mutable fields (status, answer, counters, completion, error, heartbeat) of the user's running
     * run; a terminal status also deletes its live-run marker, in one transaction. Returns false when the stored
     * run is no longer running; throws NoSuchElementException if it does not exist or belongs to another user. The
     * cancel request flag is kept.
     */
    @Override
    public RunWrite write(Run run) {
        Update update = runUpdate(run);
        try {
            if (run.status().terminal()) {
                client.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder().update(update).build(),
                        TransactWriteItem.builder().delete(Delete.builder().tableName(table)
                                .key(RunItems.liveKey(run.id())).build()).build()));
            } else {
                // the cancel flag comes back with the write: no read per step to learn of a cancel
                Map<String, AttributeValue> now = client.updateItem(b -> b.tableName(table)
                        .key(update.key())
                        .updateExpression(update.updateExpression())
                        .conditionExpression(update.conditionExpression())
                        .expressionAttributeNames(update.expressionAttributeNames())
                        .expressionAttributeValues(update.expressionAttributeValues())
                        .returnValues(software.amazon.awssdk.services.dynamodb.model.ReturnValue.ALL_NEW)).attributes();
                return now != null && Items.bool(now, "cancelRequested") ? RunWrite.CANCEL_REQUESTED : RunWrite.WRITTEN;
            }
            return RunWrite.WRITTEN;
        } catch (ConditionalCheckFailedException | TransactionCanceledException e) {
            requireRun(run);
            return RunWrite.NOT_RUNNING; // no longer running: ended by a reaper or a shutdown
        }
    }

    /** Throws NoSuchElementException unless the user's run exists. */
    private void requireRun(Run run) {
        Map<String, AttributeValue> stored = client.getItem(b -> b.tableName(table)
                .key(RunItems.runKey(run.id())).consistentRead(true)).item();
        if (stored == null || stored.isEmpty() || !run.user().equals(Items.str(stored, "user"))) {
            throw new NoSuchElementException("run " + run.id() + " of user " + run.user() + " does not exist");
        }
    }

    /** The mutable fields of a run: what an update or an end writes. */
    private static final List<String> MUTABLE = List.of("status", "finalAnswer", "steps", "inputTokens",
            "outputTokens", "cost", "completed", "durationMs", "error", "heartbeat", Schema.GSI2_PK);
    /** What a running run's progress changes: its counters and heartbeat. */
    private static final List<String> PROGRESS = List.of("steps", "inputTokens", "outputTokens", "cost", "heartbeat");

    /** The update of the run's mutable fields, on condition that it is the user's and running. */
    private Update runUpdate(Run run) {
        return runUpdate(run, MUTABLE, false);
    }

    /**
     * The update of {@code attrs} of the run (set, or removed when the run has no value), on condition that it is
     * the user's and running and, with {@code noCancel}, that no cancel was requested.
     */
    private Update runUpdate(Run run, List<String> attrs, boolean noCancel) {
        Map<String, AttributeValue> item = RunItems.toItem(run);
        Map<String, String> names = new HashMap<>(Map.of("#pk", Schema.PK, "#user", "user", "#st", "status"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":user", s(run.user()),
                ":running", s(RunStatus.RUNNING.json())));
        List<String> set = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        int i = 0;
        for (String attr : attrs) {
            String name = "#a" + i;
            names.put(name, attr);
            if (item.containsKey(attr)) {
                set.add(name + " = :v" + i);
                values.put(":v" + i, item.get(attr));
            } else {
                remove.add(name);
            }
            i++;
        }
        String expression = "SET " + String.join(", ", set)
                + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        String condition = "attribute_exists(#pk) AND #user = :user AND #st = :running";
        if (noCancel) {
            names.put("#cancel", "cancelRequested");
            values.put(":yes", AttributeValue.builder().bool(true).build());
            condition += " AND (attribute_not_exists(#cancel) OR #cancel <> :yes)";
        }
        return Update.builder().tableName(table).key(RunItems.runKey(run.id())).updateExpression(expression)
                .conditionExpression(condition).expressionAttributeNames(names).expressionAttributeValues(values)
                .build();
    }

    private TransactWriteItem putStep(Step step) {
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(RunItems.toItem(step))
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", Schema.PK)).build()).build();
    }

    /**
     * One transaction: the run, its live marker, and (sessions in DynamoDB) the question appended to its session.
     * When the session's quick path does not apply (see {@link DynamoSessionStore#addMessage}), the default order.
     */
    @Override
    public void start(Run run, SessionStore sessions, Message question) {
        if (!(sessions instanceof DynamoSessionStore ds) || run.status().terminal()) {
            RunStore.super.start(run, sessions, question);
            return;
        }
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(RunItems.toItem(run))
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", Schema.PK)).build()).build());
        items.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(RunItems.liveItem(run)).build()).build());
        items.addAll(ds.messageWrites(run.user(), question));
        try {
            client.transactWriteItems(b -> b.transactItems(items));
        } catch (TransactionCanceledException e) {
            RunStore.super.start(run, sessions, question);
        }
    }

    /**
     * One transaction: the last steps, the answer appended to the session, the run's end and its live marker gone.
     * When the session's quick path does not apply, the default order; false when the run is no longer running.
     */
    @Override
    public boolean finish(Run run, List<Step> lastSteps, SessionStore sessions, Message answer) {
        if (!(sessions instanceof DynamoSessionStore ds) || !run.status().terminal()) {
            return RunStore.super.finish(run, lastSteps, sessions, answer);
        }
        List<TransactWriteItem> items = new ArrayList<>();
        lastSteps.forEach(st -> items.add(putStep(st)));
        if (answer != null) items.addAll(ds.messageWrites(run.user(), answer));
        items.add(TransactWriteItem.builder().update(runUpdate(run)).build());
        items.add(TransactWriteItem.builder().delete(Delete.builder().tableName(table)
                .key(RunItems.liveKey(run.id())).build()).build());
        try {
            client.transactWriteItems(b -> b.transactItems(items));
            return true;
        } catch (TransactionCanceledException e) {
            // which condition failed? an ended run stores nothing more; else the careful path, in order
            Map<String, AttributeValue> stored = client.getItem(b -> b.tableName(table)
                    .key(RunItems.runKey(run.id())).consistentRead(true)).item();
            if (stored != null && !stored.isEmpty() && run.user().equals(Items.str(stored, "user"))
                    && !RunStatus.RUNNING.json().equals(Items.str(stored, "status"))) {
                return false;
            }
            return RunStore.super.finish(run, lastSteps, sessions, answer);
        }
    }

    /** Deletes the run item and its steps (one Query of its partition, then batched deletes). */
    @Override
    public boolean delete(String user, String runId) {
        List<Map<String, AttributeValue>> items = Pager.all(client, QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s(RunItems.pk(runId))))
                .projectionExpression("#pk, #sk, #u, #st")
                .expressionAttributeNames(Map.of("#pk", Schema.PK, "#sk", Schema.SK, "#u", "user", "#st", "status"))
                .consistentRead(true)
                .build());
        if (items.isEmpty() || !RunItems.RUN_SK.equals(Items.str(items.get(0), Schema.SK))
                || !user.equals(Items.str(items.get(0), "user"))) {
            return false;
        }
        if (RunStatus.RUNNING.json().equals(Items.str(items.get(0), "status"))) {
            throw new IllegalStateException("run " + runId + " is running: cancel it first");
        }
        // steps first, the run item last: an interrupted delete leaves a run that can be deleted again
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (int i = items.size() - 1; i >= 0; i--) {
            keys.add(Map.of(Schema.PK, items.get(i).get(Schema.PK), Schema.SK, items.get(i).get(Schema.SK)));
        }
        Batches.deleteAll(client, table, keys.subList(0, keys.size() - 1));
        client.deleteItem(b -> b.tableName(table).key(keys.get(keys.size() - 1)));
        return true;
    }

    /**
     * The steps and the run's progress in one transaction (one request, one commit on DynamoDB Local's disk), on
     * condition that the run is running and no cancel was requested. When that condition fails (rare: a cancel or
     * an end elsewhere), the run is read: a cancel request gets the step and progress written as usual and
     * CANCEL_REQUESTED; an ended run gets nothing written and NOT_RUNNING.
     */
    @Override
    public RunWrite record(List<Step> steps, Run run) {
        if (run.status().terminal() || steps.size() > MAX_STEPS_PER_WRITE) {
            return RunStore.super.record(steps, run);
        }
        List<TransactWriteItem> items = new ArrayList<>();
        steps.forEach(st -> items.add(putStep(st)));
        items.add(TransactWriteItem.builder().update(runUpdate(run, PROGRESS, true)).build());
        try {
            client.transactWriteItems(b -> b.transactItems(items));
            return RunWrite.WRITTEN;
        } catch (TransactionCanceledException e) {
            RunWrite state = write(run); // reads why: not running, or a cancel was requested (then it wrote)
            if (state == RunWrite.NOT_RUNNING) return state;
            steps.forEach(this::addStep); // idempotent: a retry of the same step does nothing
            return state;
        }
    }

    /** DynamoDB allows 100 items in a transaction: the run's update and up to this many steps. */
    static final int MAX_STEPS_PER_WRITE = 90;

    /** Every running run: one Query of the live-run markers, then each run read (consistent). */
    @Override
    public List<Run> running() {
        List<Map<String, AttributeValue>> markers = Pager.partition(client, table, RunItems.LIVE_PK);
        List<Run> out = new ArrayList<>();
        for (Map<String, AttributeValue> m : markers) {
            String id = Items.str(m, "id");
            Map<String, AttributeValue> item = client.getItem(b -> b.tableName(table)
                    .key(RunItems.runKey(id)).consistentRead(true)).item();
            if (item == null || item.isEmpty()) continue;
            Run r = RunItems.toRun(item);
            if (!r.status().terminal()) out.add(r);
        }
        out.sort(java.util.Comparator.comparing(Run::started));
        return out;
    }

    /**
     * Writes a step once: a conditional put on (run, number). Writing the same step again (a retry) does nothing;
     * writing a different step under an existing number throws IllegalStateException.
     */
    @Override
    public void addStep(Step step) {
        Map<String, AttributeValue> item = RunItems.toItem(step);
        try {
            client.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", Schema.PK)));
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> existing = client.getItem(b -> b.tableName(table)
                    .key(RunItems.stepKey(step.runId(), step.number())).consistentRead(true)).item();
            if (!item.equals(existing)) {
                throw new IllegalStateException("step " + step.number() + " of run " + step.runId()
                        + " already exists with different content", e);
            }
        }
    }

    @Override
    public Optional<Run> get(String user, String runId) {
        Map<String, AttributeValue> item = client.getItem(b -> b.tableName(table)
                .key(RunItems.runKey(runId)).consistentRead(true)).item();
        if (item == null || item.isEmpty() || !user.equals(Items.str(item, "user"))) {
            return Optional.empty();
        }
        return Optional.of(RunItems.toRun(item));
    }

    /** The run's steps in order; empty if the run does not exist or is another user's. One Query. */
    @Override
    public List<Step> steps(String user, String runId) {
        List<Map<String, AttributeValue>> items = Pager.partition(client, table, RunItems.pk(runId));
        // "RUN" sorts before "STEP#...": the run item, if any, comes first
        if (items.isEmpty() || !RunItems.RUN_SK.equals(Items.str(items.get(0), Schema.SK))
                || !user.equals(Items.str(items.get(0), "user"))) {
            return List.of();
        }
        List<Step> steps = new ArrayList<>();
        for (Map<String, AttributeValue> item : items.subList(1, items.size())) {
            steps.add(RunItems.toStep(item));
        }
        return steps;
    }

    /** The user's runs, newest first: one Query on byUser (or byUserStatus with a status filter). */
    @Override
    public Page<Run> list(RunQuery query) {
        boolean byStatus = query.status() != null;
        List<String> keyAttributes = byStatus ? STATUS_INDEX_KEY : USER_INDEX_KEY;
        String partition = partition(query);
        Map<String, AttributeValue> start = query.cursor() == null ? null
                : Cursors.decode(query.cursor(), Set.copyOf(keyAttributes), keyAttributes.get(2), partition,
                RunItems.RUN_PREFIX);
        Pager.Result page = Pager.page(client, selection(query, null), query.limit(), start, keyAttributes,
                item -> true);
        List<Run> runs = new ArrayList<>();
        page.items().forEach(item -> runs.add(RunItems.toRun(item)));
        return new Page<>(runs, page.next() == null ? null : Cursors.encode(page.next()));
    }

    /**
     * Counts, duration percentiles (nearest rank, over finished runs), tokens and cost of every run the query
     * selects, ignoring its limit and cursor; the same Query as {@link #list}, projecting only the figures.
     */
    @Override
    public RunStats stats(RunQuery query) {
        List<Map<String, AttributeValue>> items = Pager.all(client,
                selection(query, "#status, #source, durationMs, inputTokens, outputTokens, cost"));
        Map<String, Long> byStatus = new TreeMap<>();
        Map<String, Long> bySource = new TreeMap<>();
        List<Long> durations = new ArrayList<>();
        long in = 0;
        long out = 0;
        double cost = 0;
        for (Map<String, AttributeValue> item : items) {
            byStatus.merge(Items.str(item, "status"), 1L, Long::sum);
            String source = Items.str(item, "source");
            bySource.merge(source == null ? "unknown" : source, 1L, Long::sum);
            Long duration = Items.numOrNull(item, "durationMs");
            if (duration != null) {
                durations.add(duration);
            }
            in += Items.num(item, "inputTokens");
            out += Items.num(item, "outputTokens");
            cost += Items.dbl(item, "cost");
        }
        durations.sort(null);
        return new RunStats(items.size(), byStatus, bySource, Percentiles.nearestRank(durations, 50),
                Percentiles.nearestRank(durations, 95), in, out, cost);
    }

    /** Conditional update: only the owner's running run gets {@code cancelRequested = true}. */
    @Override
    public boolean requestCancel(String user, String runId) {
        try {
            client.updateItem(b -> b.tableName(table).key(RunItems.runKey(runId))
                    .updateExpression("SET cancelRequested = :yes")
                    .conditionExpression("attribute_exists(#pk) AND #user = :user AND #status = :running")
                    .expressionAttributeNames(Map.of("#pk", Schema.PK, "#user", "user", "#status", "status"))
                    .expressionAttributeValues(Map.of(":yes", Items.bool(true), ":user", s(user),
                            ":running", s(RunStatus.RUNNING.json()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** A consistent GetItem of the flag alone. */
    @Override
    public boolean cancelRequested(String runId) {
        Map<String, AttributeValue> item = client.getItem(b -> b.tableName(table).key(RunItems.runKey(runId))
                .consistentRead(true).projectionExpression("cancelRequested")).item();
        return item != null && Items.bool(item, "cancelRequested");
    }

    private static String partition(RunQuery query) {
        return query.status() != null ? RunItems.userStatusPartition(query.user(), query.status())
                : RunItems.userPartition(query.user());
    }

    /** The Query selecting the runs of a RunQuery: user (and status) by key, time range by sort key. */
    private QueryRequest selection(RunQuery query, String projection) {
        boolean byStatus = query.status() != null;
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#p", byStatus ? Schema.GSI2_PK : Schema.GSI1_PK);
        values.put(":p", s(partition(query)));
        String condition = "#p = :p";
        if (query.from() != null && query.to() != null) {
            condition += " AND #t BETWEEN :from AND :to"; // "<to>" sorts after every "<t>#id" with t < to
            values.put(":from", s(Items.sortable(query.from())));
            values.put(":to", s(Items.sortable(query.to())));
        } else if (query.from() != null) {
            condition += " AND #t >= :from";
            values.put(":from", s(Items.sortable(query.from())));
        } else if (query.to() != null) {
            condition += " AND #t < :to";
            values.put(":to", s(Items.sortable(query.to())));
        }
        if (query.from() != null || query.to() != null) {
            names.put("#t", byStatus ? Schema.GSI2_SK : Schema.GSI1_SK);
        }
        QueryRequest.Builder b = QueryRequest.builder()
                .tableName(table)
                .indexName(byStatus ? Schema.BY_USER_STATUS : Schema.BY_USER)
                .keyConditionExpression(condition)
                .scanIndexForward(false);
        if (query.source() != null) {
            names.put("#source", "source");
            values.put(":source", s(query.source()));
            b.filterExpression("#source = :source");
        }
        if (projection != null) {
            names.put("#status", "status");
            names.put("#source", "source");
            b.projectionExpression(projection);
        }
        return b.expressionAttributeNames(names).expressionAttributeValues(values).build();
    }
}

package io.opsagent.adapters.dynamodb;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * One in-memory DynamoDB Local for the whole test run (started on first use), and a client that refuses Scan and
 * records every operation it sends. Each test class takes its own table prefix.
 */
final class TestDynamo {
    private static LocalDynamo db;
    private static DynamoDbClient client;
    private static final Set<String> OPERATIONS = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private TestDynamo() {
    }

    static synchronized DynamoDbClient client() {
        if (db == null) {
            db = LocalDynamo.startInMemory();
            System.out.println("[TestDynamo] in-memory DynamoDB Local started in " + db.startupTime().toMillis()
                    + " ms at " + db.endpoint());
            client = db.clientBuilder()
                    .overrideConfiguration(c -> c.addExecutionInterceptor(new NoScan()))
                    .build();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                client.close();
                db.close();
            }));
        }
        return client;
    }

    /** A builder for another client of the shared server (the caller closes it). */
    static synchronized software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder clientBuilder() {
        client();
        return db.clientBuilder();
    }

    /** Fresh tables under a new prefix. */
    static TableNames freshTables() {
        TableNames names = TableNames.withPrefix("t" + PREFIXES.incrementAndGet() + "-");
        TableSetup.ensureTables(client(), names);
        return names;
    }

    /** Every operation name the guarded client sent so far. */
    static Set<String> operations() {
        return Set.copyOf(OPERATIONS);
    }

    /** Fails any Scan before it leaves the client; records the others. */
    static final class NoScan implements ExecutionInterceptor {
        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof ScanRequest) {
                throw new AssertionError("Scan is forbidden on request paths: " + context.request());
            }
            OPERATIONS.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        }
    }
}

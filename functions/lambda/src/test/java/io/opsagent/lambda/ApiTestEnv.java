package io.opsagent.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import io.opsagent.adapters.dynamodb.LocalDynamo;
import io.opsagent.adapters.dynamodb.TableNames;
import io.opsagent.adapters.dynamodb.TableSetup;
import io.opsagent.app.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the API tests run against: DynamoDB Local (tables made by TableSetup, as the template makes them in AWS),
 * the demo dump as the cluster, and the environment Lambda would give the function.
 */
final class ApiTestEnv implements AutoCloseable {
    /** The subject of every sample event's claims. */
    static final String SUB = "7c1f2a3b-4d5e-4f60-8a71-92b3c4d5e6f7";
    /** The session of events/api/session-history.json. */
    static final String SESSION = "3f2b8c1e-6a4d-4e7f-9b10-2c3d4e5f6a70";
    /** The run of events/api/run-detail.json. */
    static final String RUN = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
    static final String PREFIX = "lambda-test-";
    static final String ALERT_TOKEN = "sample-alertmanager-token";

    final LocalDynamo db;
    final TableNames tables = TableNames.withPrefix(PREFIX);

    ApiTestEnv() {
        // the default credentials chain reads these first (Lambda gives the function its role's credentials)
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
        db = LocalDynamo.startInMemory();
        TableSetup.ensureTables(db.client(), tables);
    }

    static Path root() {
        String r = System.getProperty("opsagent.root");
        Path p = r == null ? Path.of("../..") : Path.of(r);
        return p.toAbsolutePath().normalize();
    }

    static Path demo() {
        return root().resolve("events/clusters/demo");
    }

    /** The function's environment: region, DynamoDB Local endpoint, table prefix, the demo dump. */
    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_ENDPOINT_URL_DYNAMODB", db.endpoint().toString());
        env.put("OPSAGENT_TABLE_PREFIX", PREFIX);
        env.put("OPSAGENT_DUMP_DIR", demo().toString());
        env.put("OPSAGENT_MODEL_PROVIDER", "offline");
        env.put("OPSAGENT_ALERT_TOKEN", ALERT_TOKEN); // the token of events/api/alertmanager-webhook.json
        return env;
    }

    Settings settings() {
        return Settings.fromEnvironment(env());
    }

    ApiHandler handler() {
        return new ApiHandler(LambdaApp.context(settings(), ApiCaller.AUTHENTICATOR));
    }

    /** Every sample event file of the API function. */
    static List<Path> sampleEvents() throws java.io.IOException {
        try (Stream<Path> s = Files.list(root().resolve("events/api"))) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    /** Loads a sample event the way the Lambda runtime's serializer reads it. */
    static APIGatewayV2HTTPEvent load(Path file) {
        return EventLoader.loadApiGatewayHttpEvent(file.toString());
    }

    static APIGatewayV2HTTPEvent load(String name) {
        return load(root().resolve("events/api/" + name));
    }

    @Override
    public void close() {
        db.close();
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    /** A Lambda context as the runtime passes it. */
    static Context context(String requestId) {
        return new Context() {
            public String getAwsRequestId() {
                return requestId;
            }

            public String getLogGroupName() {
                return "/aws/lambda/opsagent-api";
            }

            public String getLogStreamName() {
                return "2026/11/21/[$LATEST]abcdef";
            }

            public String getFunctionName() {
                return "opsagent-api";
            }

            public String getFunctionVersion() {
                return "1";
            }

            public String getInvokedFunctionArn() {
                return "arn:aws:lambda:eu-west-1:123456789012:function:opsagent-api:live";
            }

            public CognitoIdentity getIdentity() {
                return null;
            }

            public ClientContext getClientContext() {
                return null;
            }

            public int getRemainingTimeInMillis() {
                return 29_000;
            }

            public int getMemoryLimitInMB() {
                return 1024;
            }

            public LambdaLogger getLogger() {
                return new LambdaLogger() {
                    public void log(String message) {
                        System.out.print(message);
                    }

                    public void log(byte[] message) {
                        System.out.print(new String(message, java.nio.charset.StandardCharsets.UTF_8));
                    }
                };
            }
        };
    }
}

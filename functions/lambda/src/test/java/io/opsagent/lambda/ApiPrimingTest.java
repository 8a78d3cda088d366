package io.opsagent.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.opsagent.app.config.Settings;
import java.time.Duration;
import java.util.Map;
import java.util.HashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SnapStart priming: runs without AWS or a network, warms the routes and the DynamoDB client, leaves nothing. */
class ApiPrimingTest {
    private static ApiTestEnv env;

    @BeforeAll
    static void start() {
        env = new ApiTestEnv();
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    private static int items(String table) {
        return env.db.client().scan(r -> r.tableName(table)).count();
    }

    @Test
    void primingAnswersBothRequestsAndWritesNothing() throws Exception {
        ApiHandler handler = env.handler();
        assertThat(handler.priming().prime()).isEqualTo(2);
        handler.priming().beforeCheckpoint(null);
        handler.priming().afterRestore(null);
        assertThat(handler.priming().primed()).isEqualTo(2);
        assertThat(items(env.tables.sessions())).isZero();
        assertThat(items(env.tables.runs())).isZero();
        // the priming user owns nothing, and the first real request sees only its caller's data
        var list = ApiTestEnv.load("list-sessions.json");
        APIGatewayV2HTTPResponse r = handler.answer(list);
        assertThat(r.getStatusCode()).isEqualTo(200);
        assertThat(r.getBody()).isEqualTo("{\"items\":[],\"next\":null}");
    }

    @Test
    void primingWithoutANetworkFailsHarmlessly() {
        Map<String, String> e = new HashMap<>(env.env());
        e.put("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:9"); // nothing listens: the DynamoDB call fails
        ApiHandler handler = new ApiHandler(LambdaApp.context(Settings.fromEnvironment(e), ApiCaller.AUTHENTICATOR));
        long t0 = System.nanoTime();
        int ok = handler.priming().prime();
        assertThat(ok).as("the workloads answer from the dump; the run lookup fails").isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
        handler.priming().afterRestore(null);
    }
}

package io.opsagent.bench.coldstart.hello;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/**
 * The cold-start baseline: the smallest useful Java Lambda handler. It is packaged alone in
 * {@code bench/target/opsagent-bench-hello.jar} (this class only), so its init is what the runtime itself costs.
 */
public final class HelloHandler implements RequestHandler<Map<String, Object>, String> {
    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        return "hello " + event.getOrDefault("name", "world");
    }
}

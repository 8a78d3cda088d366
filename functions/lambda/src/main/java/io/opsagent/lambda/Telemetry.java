package io.opsagent.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import io.opsagent.core.agent.AgentListener;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.cloudwatchlogs.emf.config.EnvironmentConfigurationProvider;
import software.amazon.cloudwatchlogs.emf.environment.Environments;
import org.slf4j.MDC;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.logging.internal.PowertoolsLoggedFields;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsBuilder;

/**
 * Powertools for AWS Lambda (Java) 2.9.0 through its functional API (no AspectJ weaving): structured JSON logs
 * with the correlation id ({@link #withLogging}), and CloudWatch EMF metrics ({@link #metrics()},
 * {@link #runListener}) printed to standard output, one JSON document per flush.
 *
 * <p>Environment: {@code POWERTOOLS_SERVICE_NAME} (default {@value #DEFAULT_SERVICE}),
 * {@code POWERTOOLS_METRICS_NAMESPACE} (default {@value #DEFAULT_NAMESPACE}), {@code POWERTOOLS_LOG_LEVEL}.
 */
public final class Telemetry {
    public static final String DEFAULT_SERVICE = "opsagent";
    public static final String DEFAULT_NAMESPACE = "OpsAgent";

    private static volatile Metrics metrics;

    private Telemetry() {
    }

    /**
     * Makes the application's own log lines ({@code System.Logger} / java.util.logging) go through the Powertools
     * JSON layout; idempotent. Called by the handlers at init.
     */
    public static void init() {
        JulBridge.install();
        metrics();
    }

    /**
     * The metrics of this execution environment: namespace and {@code Service} dimension from the environment.
     * EMF documents always go to standard output (the Lambda environment), also under {@code sam local invoke}
     * and in tests, unless {@code AWS_EMF_ENVIRONMENT} says otherwise.
     */
    public static Metrics metrics() {
        Metrics m = metrics;
        if (m == null) {
            synchronized (Telemetry.class) {
                if (metrics == null) {
                    Map<String, String> env = System.getenv();
                    if (blank(env.get("AWS_EMF_ENVIRONMENT"))) {
                        EnvironmentConfigurationProvider.getConfig().setEnvironmentOverride(Environments.Lambda);
                    }
                    metrics = MetricsBuilder.builder()
                            .withNamespace(orElse(env.get("POWERTOOLS_METRICS_NAMESPACE"), DEFAULT_NAMESPACE))
                            .withService(orElse(env.get("POWERTOOLS_SERVICE_NAME"), DEFAULT_SERVICE))
                            .build();
                }
                m = metrics;
            }
        }
        return m;
    }

    /**
     * Runs {@code work} with Powertools logging set up for this invocation: every line carries the function
     * context and {@code correlation_id} (when not null); the state is cleared afterwards. The id is passed in
     * rather than found by a JMESPath into the event (Powertools' {@code CorrelationIdPaths}): that would load a
     * JMESPath engine and Joda-Time (about 360 classes) at every cold start to read one field.
     */
    public static <T> T withLogging(Context context, String correlationId, Supplier<T> work) {
        return PowertoolsLogging.withLogging(context, () -> {
            if (correlationId != null) MDC.put(PowertoolsLoggedFields.CORRELATION_ID.getName(), correlationId);
            return work.get();
        });
    }

    /**
     * A listener that records one agent run's metrics and flushes them as one EMF document when the run finishes
     * (runs, steps, tool calls, tool errors, tokens in/out, cost, time to first token, duration; the run id as
     * metadata), passing every event on to {@code delegate}. One per run.
     */
    public static AgentListener runListener(AgentListener delegate) {
        return new RunMetrics(metrics(), delegate, System::nanoTime);
    }

    private static String orElse(String v, String dflt) {
        return blank(v) ? dflt : v;
    }

    private static boolean blank(String v) {
        return v == null || v.isBlank();
    }
}

package io.opsagent.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opsagent.app.config.Settings;
import io.opsagent.app.http.AppContext;
import io.opsagent.core.alerts.AlertException;
import io.opsagent.core.alerts.AlertPayloads;
import io.opsagent.core.alerts.AlertService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * CloudWatch alarms in AWS ({@code io.opsagent.lambda.AlertHandler::handleRequest}): the target of the EventBridge rule
 * on {@code aws.cloudwatch} / {@code CloudWatch Alarm State Change} (ALARM and OK). Each event goes through the same
 * intake as Alertmanager's webhook: recorded once, an episode opened, attached or closed, investigated once; the
 * investigation runs before the invocation returns (a frozen environment would leave it running). A malformed event is
 * logged and answered, never retried (it can never succeed). A thin handler: the logic is core's.
 */
public final class AlertHandler implements RequestStreamHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger("io.opsagent.lambda.alerts");
    private final AlertService alerts;
    private final io.opsagent.app.config.EngineInvestigator investigations;

    public AlertHandler() {
        this(Shared.ALERTS.service(), Shared.ALERTS.service().investigator() instanceof io.opsagent.app.config.EngineInvestigator e
                ? e : null);
    }

    /** A handler over {@code alerts}; {@code investigations} (may be null) are waited for before returning. */
    public AlertHandler(AlertService alerts, io.opsagent.app.config.EngineInvestigator investigations) {
        Telemetry.init();
        this.alerts = Objects.requireNonNull(alerts, "alerts");
        this.investigations = investigations;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context lambda) throws IOException {
        JsonNode event = JSON.readTree(input);
        JsonNode out;
        try {
            AlertPayloads.Delivery d = AlertPayloads.cloudWatch(event == null ? JSON.createObjectNode() : event);
            out = Telemetry.withLogging(lambda, event.path("id").asText("alarm"), () -> alerts.intake(d).toJson());
        } catch (AlertException e) {
            LOG.log(System.Logger.Level.WARNING, "dropped an event that is not a CloudWatch alarm state change: " + e.getMessage());
            out = JSON.createObjectNode().put("error", e.getMessage());
        }
        if (investigations != null) {
            long left = lambda == null ? 60_000 : lambda.getRemainingTimeInMillis() - 10_000;
            if (!investigations.drain(java.time.Duration.ofMillis(Math.max(0, left)))) {
                LOG.log(System.Logger.Level.WARNING, "an investigation did not finish within the invocation");
            }
        }
        JSON.writeValue(output, out);
    }

    /** The execution environment's alert intake, built once from the environment. */
    private static final class Shared {
        static final AppContext.Alerts ALERTS = alerts();

        private static AppContext.Alerts alerts() {
            AppContext ctx = LambdaApp.context(Settings.fromEnvironment(System.getenv()), ApiCaller.AUTHENTICATOR);
            if (ctx.alerts() == null) throw new IllegalStateException("alert intake is not configured");
            return ctx.alerts();
        }
    }
}

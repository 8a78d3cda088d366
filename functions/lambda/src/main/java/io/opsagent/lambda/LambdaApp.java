package io.opsagent.lambda;

import io.opsagent.app.config.Settings;
import io.opsagent.app.http.AppContext;
import io.opsagent.app.http.Authenticator;

/**
 * The application as the Lambda functions run it, built once per execution environment from the environment:
 * DynamoDB stores on the tables named by the template, the configured chat model, the cluster (EKS), and the
 * price table. Shared by the API handler and the chat server.
 */
public final class LambdaApp {
    private LambdaApp() {
    }

    /** Builds the application context from the settings; bad settings are an IllegalArgumentException naming them. */
    public static AppContext context(Settings settings, Authenticator auth) {
        throw new UnsupportedOperationException("not built yet (ApiHandler helper)");
    }
}

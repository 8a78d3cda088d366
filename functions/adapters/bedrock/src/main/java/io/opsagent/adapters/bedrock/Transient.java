package io.opsagent.adapters.bedrock;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.bedrockruntime.model.InternalServerException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelNotReadyException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;

/** Classifies Bedrock failures: which are worth retrying, and how to say what happened. */
final class Transient {
    private Transient() {
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static boolean isThrottling(Throwable t) {
        t = unwrap(t);
        return t instanceof ThrottlingException
                || t instanceof AwsServiceException a && a.statusCode() == 429;
    }

    /** Throttling, service unavailable, model not ready, internal errors, any 5xx, and connection failures. */
    static boolean isRetryable(Throwable t) {
        t = unwrap(t);
        if (isThrottling(t) || t instanceof ServiceUnavailableException || t instanceof ModelNotReadyException
                || t instanceof InternalServerException) {
            return true;
        }
        if (t instanceof AwsServiceException a) return a.statusCode() >= 500;
        if (t instanceof SdkClientException) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                if (c instanceof IOException) return true;
                if (c.getCause() == c) break;
            }
            String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
            return m.contains("connect") || m.contains("closed") || m.contains("reset") || m.contains("timed out");
        }
        return t instanceof IOException;
    }

    /** A one-line description: exception type, HTTP status and the service's message. */
    static String describe(Throwable t) {
        t = unwrap(t);
        if (t instanceof AwsServiceException a) {
            String code = a.awsErrorDetails() != null && a.awsErrorDetails().errorCode() != null
                    ? a.awsErrorDetails().errorCode() : a.getClass().getSimpleName();
            String msg = a.awsErrorDetails() != null && a.awsErrorDetails().errorMessage() != null
                    ? a.awsErrorDetails().errorMessage() : a.getMessage();
            return code + (a.statusCode() > 0 ? " (HTTP " + a.statusCode() + ")" : "") + ": " + msg;
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}

package io.opsagent.lambda;

/**
 * The chat function as the contract test starts it in a separate JVM: {@link ChatServer#serve} with the
 * environment the Lambda Web Adapter provides, wired to the demo dump, in-memory stores and a model that pauses
 * {@code TEST_MODEL_PAUSE_MS} before each delta (instead of {@code LambdaApp.context}'s AWS wiring).
 */
public final class LwaChatMain {
    private LwaChatMain() {
    }

    public static void main(String[] args) throws Exception {
        long pause = Long.parseLong(System.getenv().getOrDefault("TEST_MODEL_PAUSE_MS", "300"));
        ChatServer.serve(System.getenv(), (settings, jwt) -> ChatTestApp.context(new ChatSlowModel(pause), jwt));
    }
}

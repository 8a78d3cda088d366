package io.opsagent.lambda;

import io.opsagent.app.http.AppContext;
import io.opsagent.app.http.Authenticator;
import io.opsagent.core.agent.ConversationEngine;
import io.opsagent.core.agent.Demo;
import io.opsagent.core.agent.EngineConfig;
import io.opsagent.core.agent.InMemoryRunStore;
import io.opsagent.core.agent.InMemorySessionStore;
import io.opsagent.core.agent.model.ChatModel;
import io.opsagent.core.redact.Redactor;
import io.opsagent.core.tools.SnapshotProvider;
import io.opsagent.core.tools.cluster.ClusterTools;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The chat function's application as the tests build it (instead of {@code LambdaApp.context}): the demo dump,
 * in-memory run and session stores, the given model and authenticator.
 */
final class ChatTestApp {
    static final Path ROOT = Path.of(System.getProperty("opsagent.root", "../..")).toAbsolutePath().normalize();

    /** Held so the level set here is not lost to garbage collection: the tests' output stays readable. */
    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("io.opsagent");

    static {
        QUIET.setLevel(java.util.logging.Level.WARNING);
    }

    private ChatTestApp() {
    }

    static AppContext context(ChatModel model, Authenticator auth) {
        SnapshotProvider cluster = SnapshotProvider.of(Demo.snapshot());
        InMemoryRunStore runs = new InMemoryRunStore();
        InMemorySessionStore sessions = new InMemorySessionStore();
        Redactor redactor = Redactor.standard();
        ConversationEngine engine = new ConversationEngine(model, ClusterTools.registry(), cluster, runs, sessions,
                redactor, EngineConfig.defaults(), Clock.systemUTC());
        return new AppContext(engine, runs, sessions, cluster, ROOT.resolve("events/clusters/demo"), null, redactor,
                Duration.ofSeconds(15), auth);
    }
}

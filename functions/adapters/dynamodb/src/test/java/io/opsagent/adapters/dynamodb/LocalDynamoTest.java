package io.opsagent.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsagent.core.runs.Message;
import io.opsagent.core.runs.Run;
import io.opsagent.core.runs.RunStatus;
import io.opsagent.core.runs.Session;
import io.opsagent.core.runs.Step;
import io.opsagent.core.runs.StepType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded server of the local product: loopback only, data kept in a directory across restarts. */
class LocalDynamoTest {

    @Test
    void sessionsRunsAndStepsSurviveARestartWithTheSameDirectory(@TempDir Path dir) {
        Instant now = Instant.now();
        Session session = new Session("sess-1", "alice", "shop/checkout", "why?", now, null, null);
        Run run = new Run("run-1", "alice", "why?", "chat", "alice", "sess-1", "shop/checkout", "offline-analyst",
                RunStatus.RUNNING, null, 0, 0, 0, 0, now, null, null);
        Step step = new Step("run-1", 1, StepType.TOOL_CALL, "diagnose", "{}", "2 findings", null, null, now, 12,
                0, 0);
        try (LocalDynamo db = LocalDynamo.start(dir)) {
            System.out.println("[LocalDynamoTest] start with an empty data directory: "
                    + db.startupTime().toMillis() + " ms");
            assertThat(db.endpoint().getHost()).isEqualTo("127.0.0.1");
            assertThat(db.dataDir()).isEqualTo(dir.toAbsolutePath().normalize());
            TableSetup.ensureTables(db.client(), TableNames.DEFAULT);
            DynamoSessionStore sessions = new DynamoSessionStore(db.client(), TableNames.DEFAULT);
            sessions.create(session);
            sessions.addMessage("alice", new Message("sess-1", 1, "user", "why is checkout failing?", "run-1", now));
            DynamoRunStore runs = new DynamoRunStore(db.client(), TableNames.DEFAULT);
            runs.create(run);
            runs.addStep(step);
        }
        assertThat(dir.resolve("shared-local-instance.db")).exists();

        long t0 = System.nanoTime();
        try (LocalDynamo db = LocalDynamo.start(dir)) {
            TableSetup.ensureTables(db.client(), TableNames.DEFAULT); // idempotent on existing tables
            DynamoSessionStore sessions = new DynamoSessionStore(db.client(), TableNames.DEFAULT);
            DynamoRunStore runs = new DynamoRunStore(db.client(), TableNames.DEFAULT);
            assertThat(sessions.get("alice", "sess-1")).isPresent();
            assertThat(sessions.messages("alice", "sess-1")).extracting(Message::text)
                    .containsExactly("why is checkout failing?");
            assertThat(runs.get("alice", "run-1")).contains(run);
            assertThat(runs.steps("alice", "run-1")).containsExactly(step);
            assertThat(sessions.get("bob", "sess-1")).isEmpty();
            System.out.println("[LocalDynamoTest] restart with data: server " + db.startupTime().toMillis()
                    + " ms, first reads answered after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        }
    }

    @Test
    void closeStopsEveryThreadOfTheServerSoTheJvmCanExit(@TempDir Path dir) throws Exception {
        ThreadGroup group;
        try (LocalDynamo db = LocalDynamo.start(dir)) {
            group = db.threadGroup();
            TableSetup.ensureTables(db.client(), TableNames.DEFAULT);
            assertThat(group.activeCount()).isPositive();
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (group.activeCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Thread[] left = new Thread[16];
        int n = group.enumerate(left);
        assertThat(java.util.Arrays.asList(left).subList(0, n)).as("threads left running").isEmpty();
    }

    @Test
    void listensOnLoopbackOnly() throws Exception {
        try (LocalDynamo db = LocalDynamo.startInMemory()) {
            int port = db.endpoint().getPort();
            try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
                assertThat(s.isConnected()).isTrue();
            }
            for (java.net.NetworkInterface nic : java.util.Collections.list(
                    java.net.NetworkInterface.getNetworkInterfaces())) {
                for (java.net.InetAddress address : java.util.Collections.list(nic.getInetAddresses())) {
                    if (address.isLoopbackAddress()) {
                        continue;
                    }
                    assertThatThrownBy(() -> new java.net.Socket().connect(
                            new java.net.InetSocketAddress(address, port), 1000))
                            .as("port %d reachable on %s", port, address)
                            .isInstanceOf(java.io.IOException.class);
                }
            }
        }
    }

    @Test
    void aDataDirectoryServesOneProcessAtATime(@TempDir Path dir) {
        try (LocalDynamo first = LocalDynamo.start(dir)) {
            assertThatThrownBy(() -> LocalDynamo.start(dir)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use").hasMessageContaining(dir.toString());
            assertThat(first.client().listTables().tableNames()).isEmpty();
        }
        try (LocalDynamo again = LocalDynamo.start(dir)) { // released on close
            assertThat(again.client().listTables().tableNames()).isEmpty();
        }
    }

    @Test
    void anUnusableDataDirectoryFailsNamingIt(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        assertThatThrownBy(() -> LocalDynamo.start(file)).hasMessageContaining(file.toString());
    }

    @Test
    void inMemoryKeepsNothing() {
        try (LocalDynamo db = LocalDynamo.startInMemory()) {
            assertThat(db.dataDir()).isNull();
            TableSetup.ensureTables(db.client(), TableNames.withPrefix("mem-"));
            assertThat(db.client().listTables().tableNames()).containsExactlyInAnyOrder("mem-sessions", "mem-runs", "mem-actions");
        }
        try (LocalDynamo db = LocalDynamo.startInMemory()) {
            assertThat(db.client().listTables().tableNames()).isEmpty();
        }
    }

    @Test
    void defaultDataDirectoryIsUnderTheHomeUnlessOverridden() {
        String before = System.getProperty(LocalDynamo.DATA_DIR_PROPERTY);
        try {
            System.clearProperty(LocalDynamo.DATA_DIR_PROPERTY);
            if (System.getenv(LocalDynamo.DATA_DIR_ENV) == null) {
                assertThat(LocalDynamo.defaultDataDir())
                        .isEqualTo(Path.of(System.getProperty("user.home"), ".opsagent", "data"));
            }
            System.setProperty(LocalDynamo.DATA_DIR_PROPERTY, "/tmp/elsewhere");
            assertThat(LocalDynamo.defaultDataDir()).isEqualTo(Path.of("/tmp/elsewhere"));
        } finally {
            if (before == null) {
                System.clearProperty(LocalDynamo.DATA_DIR_PROPERTY);
            } else {
                System.setProperty(LocalDynamo.DATA_DIR_PROPERTY, before);
            }
        }
    }
}

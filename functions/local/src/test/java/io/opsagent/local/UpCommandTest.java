package io.opsagent.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.app.http.LocalServer;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.input.ClusterDumpReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code opsagent up}'s failures: they exit 2 with a clear message and leave nothing running. */
class UpCommandTest {
    private static final Path DEMO = Path.of(System.getProperty("opsagent.root", ".")).toAbsolutePath().normalize()
            .resolve("events/clusters/demo");

    private static ClusterSnapshot demoSnapshot() throws Exception {
        return new ClusterDumpReader().read(DEMO);
    }

    @TempDir
    Path tmp;

    @Test
    void portInUseExitsTwoNamingThePort() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = busy.getLocalPort();
            Cli.Run r = Cli.run("up", "--port", String.valueOf(port), "--data", tmp.resolve("data").toString(),
                    "--dump", DEMO.toString());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("port " + port).contains("in use").contains("--port");
        }
        // DynamoDB was stopped again: the data directory is free for the next start
        try (LocalServer s = LocalServer.start(new LocalServer.Options(demoSnapshot(), DEMO, null,
                tmp.resolve("data"), "127.0.0.1", 0, null, null, null))) {
            assertThat(s.dataDir()).isEqualTo(tmp.resolve("data").toAbsolutePath().normalize());
        }
    }

    @Test
    void dataDirectoryInUseExitsTwo() throws Exception {
        try (LocalServer s = LocalServer.start(new LocalServer.Options(demoSnapshot(), DEMO, null,
                tmp.resolve("d"), "127.0.0.1", 0, null, null, null))) {
            Cli.Run r = Cli.run("up", "--port", "0", "--data", tmp.resolve("d").toString(), "--dump", DEMO.toString());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("in use by another OpsAgent");
        }
    }

    @Test
    void bindingTheNetworkWithHeaderUsersIsRefusedUnlessExplicitlyAllowed() {
        Cli.Run r = Cli.run("up", "--bind", "0.0.0.0", "--port", "0", "--in-memory", "--dump", DEMO.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--bind 0.0.0.0").contains("X-OpsAgent-User").contains("--insecure-header-auth-on-network");
        assertThat(UpCommand.loopback("127.0.0.1")).isTrue();
        assertThat(UpCommand.loopback("127.5.0.1")).isTrue();
        assertThat(UpCommand.loopback("::1")).isTrue();
        assertThat(UpCommand.loopback("localhost")).isTrue();
        assertThat(UpCommand.loopback("10.0.0.5")).isFalse();
        assertThat(UpCommand.loopback("127.0.0.1.evil.example")).isFalse();
    }

    @Test
    void badOptionsExitTwo() {
        Cli.Run missing = Cli.run("up", "--dump", tmp.resolve("nope").toString(), "--in-memory");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("nope").contains("does not exist");
        Cli.Run both = Cli.run("up", "--dump", "a", "--evidence", "b");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("at most one of --dump DIR or --evidence DIR");
        Cli.Run port = Cli.run("up", "--port", "70000");
        assertThat(port.exit()).isEqualTo(2);
        assertThat(port.err()).contains("--port");
        Cli.Run help = Cli.run("up", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--port").contains("--dump").contains("--data").contains("--in-memory");
    }

    @Test
    void projectsAreTheLocalDefaultUnlessAFileOrNoneIsGiven() throws Exception {
        var def = UpCommand.seed(io.opsagent.app.config.Settings.fromEnvironment(java.util.Map.of()));
        assertThat(def.role("dev", java.util.List.of(), "shop")).isEqualTo(io.opsagent.core.access.Role.ADMIN);
        assertThat(def.role("bob", java.util.List.of(), "payments")).isEqualTo(io.opsagent.core.access.Role.OPERATOR);
        assertThat(def.sees("mallory", java.util.List.of(), "shop")).isFalse();
        var none = io.opsagent.app.config.Settings.fromEnvironment(java.util.Map.of("OPSAGENT_PROJECTS_FILE", "none"));
        assertThat(UpCommand.seed(none)).isNull();
        assertThat(io.opsagent.app.config.Assembly.declaredProjects(none)).isNull();
        // the admin group declares a project of every namespace its members administer
        var admins = io.opsagent.app.config.Assembly.declaredProjects(io.opsagent.app.config.Settings.fromEnvironment(
                java.util.Map.of("OPSAGENT_PROJECT_ADMIN_GROUP", "platform")));
        assertThat(admins.role("anyone", java.util.List.of("platform"), "shop")).isEqualTo(io.opsagent.core.access.Role.ADMIN);
        assertThat(admins.sees("anyone", java.util.List.of(), "shop")).isFalse();
    }
}

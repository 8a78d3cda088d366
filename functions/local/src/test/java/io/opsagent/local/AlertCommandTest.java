package io.opsagent.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.app.http.LocalServer;
import io.opsagent.core.agent.Demo;
import io.opsagent.core.tools.SnapshotProvider;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code opsagent alert FILE} against the local product over the demo cluster: each sample shape, duplicates, errors. */
class AlertCommandTest {
    private static final String EVENTS = "../../events/alerts/";

    @Test
    void eachSampleIsDeliveredAndInvestigatedOncePerEpisode() throws Exception {
        SnapshotProvider demo = SnapshotProvider.of(Demo.snapshot());
        try (LocalServer app = LocalServer.start(new LocalServer.Options(demo, Path.of("../../events/clusters/demo"), null,
                null, "127.0.0.1", 0, null, null, null))) {
            String server = app.http().uri().toString();
            Cli.Run grouped = Cli.run("alert", EVENTS + "alertmanager-grouped.json", "--server", server, "--user", "dev");
            assertThat(grouped.exit()).as(grouped.err()).isZero();
            assertThat(grouped.out()).contains("alertmanager: 3 alerts received, 0 duplicate, 3 opened, 0 attached, 1 grouped, "
                    + "2 investigated", "KubeDeploymentReplicasMismatch: episode alr-");
            Cli.Run again = Cli.run("alert", EVENTS + "alertmanager-firing.json", "--server", server, "--user", "dev");
            assertThat(again.out()).contains("1 duplicate");
            Cli.Run alarm = Cli.run("alert", EVENTS + "cloudwatch-alarm.json", "--server", server, "--user", "dev");
            // the alarm is about shop/orders, whose episode opened moments ago: grouped with it, not investigated again
            assertThat(alarm.out()).contains("cloudwatch: 1 alert received", "1 grouped", "0 investigated");
            Cli.Run ok = Cli.run("alert", EVENTS + "cloudwatch-ok.json", "--server", server, "--user", "dev");
            assertThat(ok.out()).contains("1 resolved");
            Cli.Run resolved = Cli.run("alert", EVENTS + "alertmanager-resolved.json", "--server", server, "--user", "dev");
            assertThat(resolved.out()).contains("1 resolved");
            Cli.Run missing = Cli.run("alert", EVENTS + "nope.json", "--server", server);
            assertThat(missing.exit()).isEqualTo(2);
            assertThat(missing.err()).contains("no such file");
            Cli.Run notAlert = Cli.run("alert", "../../events/clusters/demo.expected.json", "--server", server);
            assertThat(notAlert.exit()).isEqualTo(2);
            assertThat(notAlert.err()).contains("version");
        }
    }
}

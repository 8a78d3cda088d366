package io.opsagent.adapters.kubernetes.real;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cluster/cluster}'s refusals: each says what is wrong and what to do, and starts nothing. */
class ClusterScriptTest {
    @TempDir
    Path state;

    record Out(int exit, String text) {
    }

    private Out run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(java.util.stream.Stream.concat(
                java.util.stream.Stream.of(LocalCluster.repositoryRoot().resolve("cluster/cluster").toString()),
                java.util.Arrays.stream(args)).toList()).redirectErrorStream(true);
        pb.environment().put("OPSAGENT_CLUSTER_DIR", state.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Out(p.exitValue(), text);
    }

    @Test
    void statusOfAClusterThatIsNotRunningExitsNonZero() throws Exception {
        Out o = run(Map.of("OPSAGENT_CLUSTER_PORT", "39443"), "status");
        assertThat(o.exit()).isNotZero();
        assertThat(o.text()).contains("kube-apiserver: not running").contains("API server: not answering at https://127.0.0.1:39443");
    }

    @Test
    void aTakenPortIsNamedWithTheSettingToChange() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Out o = run(Map.of("OPSAGENT_CLUSTER_PORT", String.valueOf(taken.getLocalPort()),
                    "OPSAGENT_CLUSTER_ETCD_PORT", "39379"), "up", "--no-seed");
            assertThat(o.exit()).isNotZero();
            assertThat(o.text()).contains("port " + taken.getLocalPort() + " (API server) is taken; set OPSAGENT_CLUSTER_PORT");
        }
        assertThat(Files.exists(state.resolve("run/etcd.pid"))).isFalse(); // nothing was started
    }

    @Test
    void aStateDirectoryOfOtherVersionsIsRefusedNamingTheWayOut() throws Exception {
        Files.writeString(state.resolve("versions"), "v1.30.0 v3.5.0\n");
        Out o = run(Map.of("OPSAGENT_CLUSTER_PORT", "39443", "OPSAGENT_CLUSTER_ETCD_PORT", "39379"), "up", "--no-seed");
        assertThat(o.exit()).isNotZero();
        assertThat(o.text()).contains("holds a cluster of other versions (v1.30.0 v3.5.0)").contains("cluster down --purge");
        assertThat(Files.readString(state.resolve("versions"))).isEqualTo("v1.30.0 v3.5.0\n"); // left as it was
    }

    @Test
    void anUnknownCommandPrintsTheUsage() throws Exception {
        Out o = run(Map.of(), "sideways");
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.text()).contains("Usage: cluster/cluster up [--no-seed] | down [--purge] | status");
        assertThat(List.of(o.text().split("\n"))).noneMatch(l -> l.startsWith("#"));
    }
}

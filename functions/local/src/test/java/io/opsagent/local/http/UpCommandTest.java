package io.opsagent.local.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.local.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code opsagent up}'s failures: they exit 2 with a clear message and leave nothing running. */
class UpCommandTest {
    @TempDir
    Path tmp;

    record Result(int exit, String out, String err) {
    }

    @Test
    void portInUseExitsTwoNamingThePort() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = busy.getLocalPort();
            Result r = run("up", "--port", String.valueOf(port), "--data", tmp.resolve("data").toString(),
                    "--dump", Demo.DIR.toString());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("port " + port).contains("in use").contains("--port");
        }
        // DynamoDB was stopped again: the data directory is free for the next start
        try (LocalServer s = LocalServer.start(new LocalServer.Options(Demo.snapshot(), Demo.DIR, null,
                tmp.resolve("data"), "127.0.0.1", 0, null, null, null))) {
            assertThat(s.dataDir()).isEqualTo(tmp.resolve("data").toAbsolutePath().normalize());
        }
    }

    @Test
    void dataDirectoryInUseExitsTwo() throws Exception {
        try (LocalServer s = LocalServer.start(new LocalServer.Options(Demo.snapshot(), Demo.DIR, null,
                tmp.resolve("d"), "127.0.0.1", 0, null, null, null))) {
            Result r = run("up", "--port", "0", "--data", tmp.resolve("d").toString(), "--dump", Demo.DIR.toString());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("in use by another OpsAgent");
        }
    }

    @Test
    void badOptionsExitTwo() {
        Result missing = run("up", "--dump", tmp.resolve("nope").toString(), "--in-memory");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("nope").contains("does not exist");
        Result both = run("up", "--dump", "a", "--evidence", "b");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("at most one of --dump DIR or --evidence DIR");
        Result port = run("up", "--port", "70000");
        assertThat(port.exit()).isEqualTo(2);
        assertThat(port.err()).contains("--port");
        Result help = run("up", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--port").contains("--dump").contains("--data").contains("--in-memory");
    }

    private static synchronized Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}

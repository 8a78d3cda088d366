package io.opsagent.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsagent.app.http.TestClient.Res;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Static files (content types, no traversal) and sessions surviving a restart on the same data directory. */
class StaticAndRestartTest {

    @TempDir
    Path tmp;

    @Test
    void servesTheWebDirectoryWithContentTypesAndRefusesTraversal() throws Exception {
        Path web = Files.createDirectories(tmp.resolve("web"));
        Files.writeString(web.resolve("index.html"), "<!doctype html><title>ui</title>");
        Files.createDirectories(web.resolve("js"));
        Files.writeString(web.resolve("js/app.js"), "console.log('hi')");
        Files.createDirectories(web.resolve("css"));
        Files.writeString(web.resolve("css/style.css"), "body{}");
        Files.writeString(web.resolve("notes.css"), "top-level files other than index.html are not the UI's");
        Files.writeString(web.resolve(".env"), "SECRET=1");
        Files.writeString(tmp.resolve("outside.txt"), "do not serve");
        try (LocalServer server = LocalServer.start(new LocalServer.Options(Demo.snapshot(), Demo.DIR, web, null,
                "127.0.0.1", 0, null, null, null))) {
            TestClient c = new TestClient(server.http().uri(), null);
            Res index = c.get("/");
            assertThat(index.status()).isEqualTo(200);
            assertThat(index.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
            assertThat(index.body()).contains("<title>ui</title>");
            Res js = c.get("/js/app.js");
            assertThat(js.status()).isEqualTo(200);
            assertThat(js.header("Content-Type")).startsWith("text/javascript");
            assertThat(c.get("/css/style.css").header("Content-Type")).startsWith("text/css");
            assertThat(c.get("/notes.css").status()).isEqualTo(404);
            assertThat(c.get("/nothing.html").status()).isEqualTo(404);
            assertThat(c.get("/.env").status()).isEqualTo(404);
            assertThat(c.method("POST", "/index.html").status()).isEqualTo(405);

            int port = server.http().port();
            for (String path : new String[] {"/../outside.txt", "/js/../../outside.txt", "/%2e%2e/outside.txt",
                    "/js/%2e%2e/%2e%2e/outside.txt", "/..%2foutside.txt", "/%2E%2E%2Foutside.txt", "/....//outside.txt"}) {
                String response = raw(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
                assertThat(response).as(path).doesNotContain("do not serve");
                assertThat(response).as(path).matches("(?s)HTTP/1.1 (400|404) .*");
            }
            Res health = c.get("/healthz");
            assertThat(health.status()).isEqualTo(200);
        }
    }

    @Test
    void withoutAWebDirectoryTheRootPointsAtTheApi() throws Exception {
        try (LocalServer server = LocalServer.start(new LocalServer.Options(Demo.snapshot(), Demo.DIR, null, null,
                "127.0.0.1", 0, null, null, null))) {
            TestClient c = new TestClient(server.http().uri(), null);
            Res index = c.get("/");
            assertThat(index.status()).isEqualTo(200);
            assertThat(index.body()).contains("/api/workloads");
            assertThat(c.get("/app.js").status()).isEqualTo(404);
        }
    }

    @Test
    void aSessionAndItsRunsSurviveARestartWithTheSameDataDirectory() throws Exception {
        Path data = tmp.resolve("data");
        String sid;
        String runId;
        try (LocalServer first = LocalServer.start(new LocalServer.Options(Demo.snapshot(), Demo.DIR, null, data,
                "127.0.0.1", 0, null, null, null))) {
            TestClient c = new TestClient(first.http().uri(), "frank");
            sid = c.session("payments/ledger");
            try (TestClient.Stream s = c.chat(sid, "why is ledger failing?")) {
                runId = s.next().data().get("runId").asText();
                s.rest();
            }
        }
        try (LocalServer second = LocalServer.start(new LocalServer.Options(Demo.snapshot(), Demo.DIR, null, data,
                "127.0.0.1", 0, null, null, null))) {
            TestClient c = new TestClient(second.http().uri(), "frank");
            Res session = c.get("/api/sessions/" + sid);
            assertThat(session.status()).isEqualTo(200);
            JsonNode messages = session.json().get("messages");
            assertThat(messages.size()).isEqualTo(2);
            assertThat(messages.get(0).get("text").asText()).isEqualTo("why is ledger failing?");
            assertThat(messages.get(1).get("text").asText()).isNotBlank();
            Res run = c.get("/api/runs/" + runId);
            assertThat(run.status()).isEqualTo(200);
            assertThat(run.json().get("status").asText()).isEqualTo("completed");
            assertThat(run.json().get("steps").size()).isEqualTo(run.json().get("stepCount").asInt()).isPositive();
            // a follow-up continues the restored conversation
            try (TestClient.Stream s = c.chat(sid, "how do I fix it?")) {
                assertThat(s.rest().get(0).data()).isNotNull();
            }
            assertThat(c.get("/api/sessions/" + sid).json().get("messages").size()).isEqualTo(4);
        }
    }

    private static String raw(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

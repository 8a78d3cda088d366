package io.opsagent.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsagent.app.http.TestClient.Res;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Budgets on the local product: a chat message the budget cannot hold is refused before the stream opens — HTTP 429
 * naming the budget, its limit, what is used and when it resets (Retry-After too) — and its run is recorded as
 * refused; a budget that holds lets the chat through, and the offline analyst's free turns are given back;
 * {@code GET /api/budget} shows each user their own.
 */
class BudgetsHttpTest {
    private static LocalServer server;

    @BeforeAll
    static void start() throws Exception {
        server = LocalServer.start(new LocalServer.Options(Demo.snapshot(), Demo.DIR, null, null, "127.0.0.1", 0,
                null, null, null));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static String session(TestClient c) {
        Res s = c.post("/api/sessions", "{\"workload\":\"shop/cart\"}");
        assertThat(s.status()).as(s.body()).isEqualTo(201);
        return s.json().get("id").asText();
    }

    @Test
    void aRefusalIs429BeforeAnyModelCallAndARefusedRun() {
        server.budgets(1, 0); // one token a day: no turn fits
        try {
            TestClient erin = new TestClient(server.http().uri(), "erin");
            String sid = session(erin);
            Res refused = erin.post("/api/sessions/" + sid + "/messages", "{\"text\":\"why is cart failing?\"}");
            assertThat(refused.status()).as(refused.body()).isEqualTo(429);
            JsonNode b = refused.json();
            assertThat(b.get("error").asText()).contains("the daily token budget of user:erin is spent: 0 tokens of 1 tokens used today")
                    .contains("No model call was made");
            assertThat(b.get("budget").asText()).isEqualTo("user:erin");
            assertThat(b.get("limit").asLong()).isEqualTo(1);
            assertThat(b.get("used").asLong()).isZero();
            assertThat(Instant.parse(b.get("resetsAt").asText())).isAfter(Instant.now());
            assertThat(Long.parseLong(refused.header("Retry-After"))).isPositive().isLessThanOrEqualTo(86_400);
            JsonNode run = erin.get("/api/runs/" + b.get("runId").asText()).json();
            assertThat(run.get("status").asText()).isEqualTo("refused");
            assertThat(run.get("error").asText()).contains("daily token budget");
            assertThat(run.get("steps")).isEmpty();
            // the session holds no unanswered question
            assertThat(erin.get("/api/sessions/" + sid).json().get("messages")).isEmpty();
            JsonNode mine = erin.get("/api/budget").json().get("budgets");
            assertThat(mine).singleElement().satisfies(x -> {
                assertThat(x.get("scope").asText()).isEqualTo("user:erin");
                assertThat(x.get("tokensPerDay").asLong()).isEqualTo(1);
                assertThat(x.get("tokensLeft").asLong()).isEqualTo(1);
            });
        } finally {
            server.budgets(0, 0);
        }
    }

    @Test
    void aBudgetThatHoldsLetsTheChatThroughAndGivesBackWhatWasNotUsed() {
        server.budgets(1_000_000, 0);
        try {
            TestClient fay = new TestClient(server.http().uri(), "fay");
            String sid = session(fay);
            Res ok = fay.post("/api/sessions/" + sid + "/messages", "{\"text\":\"why is cart failing?\"}");
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.body()).contains("event: final");
            JsonNode mine = fay.get("/api/budget").json().get("budgets").get(0);
            assertThat(mine.get("tokensUsed").asLong()).isZero(); // the offline analyst reports no tokens: all given back
            assertThat(mine.get("tokensLeft").asLong()).isEqualTo(1_000_000);
            // another user sees only their own budget
            assertThat(fay.as("gus").get("/api/budget").json().get("budgets").get(0).get("scope").asText()).isEqualTo("user:gus");
        } finally {
            server.budgets(0, 0);
        }
        assertThat(new TestClient(server.http().uri(), "fay").get("/api/budget").json().get("budgets")).isEmpty();
    }

    @Test
    void aRequestRateIs429UntilTheNextMinute() {
        server.budgets(0, 0, 2);
        try {
            TestClient jo = new TestClient(server.http().uri(), "jo");
            String sid = session(jo);
            int ok = 0;
            Res refused = null;
            for (int i = 0; i < 3; i++) {
                Res r = jo.post("/api/sessions/" + sid + "/messages", "{\"text\":\"is cart healthy?\"}");
                if (r.status() == 200) ok++;
                else refused = r;
            }
            // (a minute can turn between the requests: then all three pass, and the next one proves nothing)
            if (ok == 3) return;
            assertThat(ok).isEqualTo(2);
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.json().get("kind").asText()).isEqualTo("requests");
            assertThat(refused.json().get("error").asText()).contains("the request rate of user:jo is at its limit: 2 requests a minute");
            assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 60L);
            assertThat(jo.get("/api/budget").json().get("budgets").get(0).get("requestsPerMinute").asInt()).isEqualTo(2);
        } finally {
            server.budgets(0, 0);
        }
    }

    @Test
    void aBudgetStoreThatCannotBeReadIs503AndNoModelCall() {
        io.opsagent.core.budget.BudgetStore broken = new io.opsagent.core.budget.BudgetStore() {
            @Override
            public java.util.List<io.opsagent.core.budget.Usage> reserve(java.util.List<io.opsagent.core.budget.Budget> b, String day,
                                                                        long tokens, long microUsd, Instant resetsAt) {
                throw new IllegalStateException("the table cannot be reached");
            }

            @Override
            public void settle(java.util.List<String> scopes, String day, long tokens, long microUsd) {
            }

            @Override
            public io.opsagent.core.budget.Usage usage(String scope, String day) {
                throw new IllegalStateException("the table cannot be reached");
            }

            @Override
            public java.util.List<io.opsagent.core.budget.Usage> admitAndReserve(java.util.List<io.opsagent.core.budget.Budget> b,
                    String day, String minute, long tokens, long microUsd, Instant resetsAt, Instant next) {
                throw new IllegalStateException("the table cannot be reached");
            }

            @Override
            public int acquire(String scope, int limit, String runId, Instant now, Instant expires) {
                throw new IllegalStateException("the table cannot be reached");
            }

            @Override
            public void release(String scope, int slot, String runId) {
            }
        };
        server.engine().withBudgets(io.opsagent.core.budget.Budgets.perUser(broken, 1_000_000, 0, java.time.Clock.systemUTC()));
        try {
            TestClient kai = new TestClient(server.http().uri(), "kai");
            String sid = session(kai);
            Res r = kai.post("/api/sessions/" + sid + "/messages", "{\"text\":\"why is cart failing?\"}");
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.json().get("error").asText()).contains("no model call was made").contains("the budget store cannot be read");
            assertThat(kai.get("/api/runs/" + r.json().get("runId").asText()).json().get("status").asText()).isEqualTo("refused");
        } finally {
            server.budgets(0, 0);
        }
    }
}

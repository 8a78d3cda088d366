package io.opsagent.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsagent.app.http.TestClient.Res;
import io.opsagent.core.access.Projects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A project's own budget (issue 17), set by its admin: it caps every model call in its namespaces whoever asks, is
 * refused before the model with 429 naming the project, is seen (with today's use) by its admins only, and its changes
 * are audited.
 */
class ProjectBudgetHttpTest {
    private LocalServer server;
    private TestClient dev;

    @BeforeEach
    void start() throws Exception {
        server = LocalServer.start(new LocalServer.Options(Demo.snapshot(), Demo.DIR, null, null, "127.0.0.1", 0, null, null, null));
        server.projects(null, Projects.localDefault());
        dev = new TestClient(server.http().uri(), "dev");
        Res made = dev.post("/api/projects", "{\"name\":\"shop-team\",\"namespaces\":[\"shop\"],"
                + "\"users\":{\"carol\":\"admin\",\"vera\":\"viewer\"}}");
        assertThat(made.status()).as(made.body()).isEqualTo(201);
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private static Res ask(TestClient c, String workload) {
        Res s = c.post("/api/sessions", "{\"workload\":\"" + workload + "\"}");
        assertThat(s.status()).as(s.body()).isEqualTo(201);
        return c.post("/api/sessions/" + s.json().get("id").asText() + "/messages", "{\"text\":\"why is it failing?\"}");
    }

    @Test
    void aProjectsBudgetCapsEveryoneInItsNamespacesAndOnlyThere() {
        assertThat(ask(dev.as("vera"), "shop/checkout").status()).isEqualTo(200); // no budget yet
        Res set = dev.as("carol").put("/api/projects/shop-team/budget", "{\"tokensPerDay\":1000,\"usdPerDay\":0.5}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().path("budget").path("tokensPerDay").asLong()).isEqualTo(1000);

        Res vera = ask(dev.as("vera"), "shop/checkout");
        assertThat(vera.status()).isEqualTo(429);
        assertThat(vera.body()).contains("project:shop-team").contains("1000");
        assertThat(vera.header("Retry-After")).isNotNull();
        // alice reaches shop through the default project: the shop budget caps her there too, not in payments
        assertThat(ask(dev.as("alice"), "shop/checkout").status()).isEqualTo(429);
        assertThat(ask(dev.as("alice"), "payments/ledger").status()).isEqualTo(200);
        // the refusal is a refused run of vera's
        assertThat(dev.as("vera").get("/api/runs?status=refused").json().get("items")).isNotEmpty();

        // its admin sees it with today's use; a viewer does not
        JsonNode carol = dev.as("carol").get("/api/budget").json();
        assertThat(carol.get("projects").toString()).contains("\"project\":\"shop-team\"", "\"tokensPerDay\":1000");
        assertThat(dev.as("vera").get("/api/budget").json().path("projects").toString()).doesNotContain("shop-team");
        assertThat(dev.as("vera").get("/api/projects/shop-team").json().has("budget")).isFalse();

        Res viewer = dev.as("vera").put("/api/projects/shop-team/budget", "{\"tokensPerDay\":0}");
        assertThat(viewer.status()).isEqualTo(403);
        Res bad = dev.as("carol").put("/api/projects/shop-team/budget", "{\"tokensPerDay\":-5}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("budget.tokensPerDay").contains("whole number");
        Res unknown = dev.as("carol").put("/api/projects/shop-team/budget", "{\"tokens\":5}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body()).contains("budget.tokens: unknown");

        assertThat(dev.as("carol").delete("/api/projects/shop-team/budget").status()).isEqualTo(200);
        assertThat(ask(dev.as("vera"), "shop/checkout").status()).isEqualTo(200);
        JsonNode audit = dev.as("carol").get("/api/audit?action=budget-set").json().get("items");
        assertThat(audit).hasSize(2);
        assertThat(audit.get(1).path("actor").asText()).isEqualTo("carol");
        assertThat(audit.get(1).path("detail").path("budget").path("tokensPerDay").asLong()).isEqualTo(1000);
    }
}

package io.opsagent.core.agent.offline;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.core.agent.AgentEvent;
import io.opsagent.core.agent.AgentListener;
import io.opsagent.core.agent.AskRequest;
import io.opsagent.core.agent.ConversationEngine;
import io.opsagent.core.agent.Demo;
import io.opsagent.core.agent.EngineConfig;
import io.opsagent.core.agent.InMemoryRunStore;
import io.opsagent.core.agent.InMemorySessionStore;
import io.opsagent.core.redact.Redactor;
import io.opsagent.core.runs.Run;
import io.opsagent.core.runs.RunStatus;
import io.opsagent.core.runs.Step;
import io.opsagent.core.runs.StepType;
import io.opsagent.core.tools.SnapshotProvider;
import io.opsagent.core.tools.cluster.ClusterTools;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The offline analyst through the real engine and tools on the demo cluster. */
class OfflineAnalystTest {
    static final String USER = "bob";
    /** A citation as the analyst writes it: [ns/file.json:items[n]...] or [ns/pod/logs.txt:n]. */
    static final Pattern CITATION = Pattern.compile("\\[[a-z0-9-]+/[^\\]\\s]*(\\.json:items\\[\\d+]|logs\\.txt:\\d+)");

    final InMemoryRunStore runs = new InMemoryRunStore();
    final InMemorySessionStore sessions = new InMemorySessionStore();
    final ConversationEngine engine = new ConversationEngine(new OfflineAnalyst(), ClusterTools.registry(),
            SnapshotProvider.of(Demo.snapshot()), runs, sessions, Redactor.standard(), EngineConfig.defaults(),
            Clock.systemUTC());
    final List<AgentEvent> events = new ArrayList<>();

    Run ask(String workload, String q) {
        Run r = engine.askOnce(USER, workload, q, "test", events::add);
        assertThat(r.status()).as(r.error() == null ? "status" : r.error()).isEqualTo(RunStatus.COMPLETED);
        return r;
    }

    Run followUp(Run previous, String q) {
        Run r = engine.ask(new AskRequest(USER, previous.sessionId(), q, "test"), events::add);
        assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
        return r;
    }

    List<Step> toolSteps(Run r) {
        return runs.steps(USER, r.id()).stream().filter(s -> s.type() == StepType.TOOL_CALL).toList();
    }

    @ParameterizedTest
    @CsvSource({
            "shop/cart, CrashLoopBackOff, REDIS_URL",
            "shop/checkout, ContainerConfigError, checkout",
            "shop/recommendations, ImagePullError, 2.4.1-rc",
            "payments/payment-gateway, OOMKilled, memory",
            "payments/ledger, InitContainerFailure, ledger",
            "data/analytics-db, VolumeError, analytics",
            "data/etl-worker, Unschedulable, etl-worker",
            "shop/catalog-db, ServiceNoEndpoints, catalog-db",
    })
    void whyIsItFailingGivesTheRootCauseWithCitationsAndTheFix(String workload, String category, String mention) {
        Run r = ask(workload, "why is it failing?");
        String a = r.finalAnswer();
        assertThat(a).startsWith("## Root cause: " + category).contains(mention).contains("**Evidence**").contains("**Fix**");
        assertThat(CITATION.matcher(a).find()).as("a citation in:\n" + a).isTrue();
        assertThat(toolSteps(r)).extracting(Step::toolName).containsExactly("diagnose", "workload_summary");
        // streamed deltas add up to the answer
        StringBuilder streamed = new StringBuilder();
        events.stream().filter(e -> e instanceof AgentEvent.TextDelta).forEach(e -> streamed.append(((AgentEvent.TextDelta) e).text()));
        assertThat(streamed.toString().strip()).isEqualTo(a);
    }

    @Test
    void errorsSinceATimeSearchErrorLevelLinesFromThatTime() {
        Run r = ask("shop/orders", "show me the errors since 09:50");
        Step search = toolSteps(r).get(0);
        assertThat(search.toolName()).isEqualTo("search_logs");
        assertThat(search.args()).contains("\"level\":\"error\"").contains("\"since\":\"09:50\"");
        assertThat(r.finalAnswer()).contains("error-level lines** since 09:50").contains("password authentication failed")
                .containsPattern("`2026-11-21T09:5\\d:");
        assertThat(CITATION.matcher(r.finalAnswer()).find()).isTrue();

        Run more = followUp(r, "show more");
        assertThat(toolSteps(more).get(0).args()).contains("\"limit\":60").contains("\"since\":\"09:50\"");
        assertThat(more.finalAnswer().lines().filter(l -> l.startsWith("- `")).count())
                .isGreaterThan(r.finalAnswer().lines().filter(l -> l.startsWith("- `")).count());
    }

    @Test
    void whatChangedShowsRevisionsAndTheImageChange() {
        Run r = ask("shop/recommendations", "what changed?");
        assertThat(toolSteps(r)).extracting(Step::toolName).containsExactly("deployment_history", "events");
        assertThat(r.finalAnswer()).contains("**Current** revision 9").contains("Revision 8")
                .contains("recommendations:2.4.0 -> 123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/recommendations:2.4.1-rc")
                .contains("[shop/replicasets.json:items[").contains("**Recent events**");
    }

    @Test
    void searchLogsForKeywords() {
        Run r = ask("shop/cart", "search logs for REDIS_URL");
        assertThat(toolSteps(r).get(0).args()).contains("\"keywords\":[\"redis_url\"]");
        assertThat(r.finalAnswer()).contains("lines matching \"redis_url\"").containsPattern("\\[shop/cart-[a-z0-9-]+/logs\\.txt:\\d+]");
        Run none = ask("shop/orders", "search logs for timeout");
        assertThat(none.finalAnswer()).startsWith("No lines matching \"timeout\" in the logs of shop/orders");
    }

    @Test
    void followUpsUseTheConversation() {
        Run why = ask("shop/cart", "why is cart failing?");
        Run fix = followUp(why, "how do I fix it?");
        assertThat(fix.finalAnswer()).startsWith("## Fix CrashLoopBackOff on Deployment shop/cart")
                .contains("kubectl set env deployment/cart -n shop -c cart REDIS_URL=<value>");
        assertThat(sessions.messages(USER, why.sessionId())).hasSize(4);

        Run other = followUp(fix, "and the other pod?");
        assertThat(toolSteps(other)).extracting(Step::toolName).containsExactly("list_pods", "describe", "search_logs");
        // the diagnosis dwelt on cart-...-2dtmb; the other pod is the second one
        assertThat(other.finalAnswer()).startsWith("## Pod cart-qlv86ccrzc-2s9qw").contains("Last state: Terminated");

        Run svc = followUp(other, "what about the service?");
        assertThat(svc.finalAnswer()).contains("**cart** (ClusterIP)").contains("cart has no ready endpoint")
                .contains("[shop/services.json:items[");
    }

    @Test
    void healthQuestions() {
        assertThat(ask("shop/web", "is it healthy?").finalAnswer()).startsWith("**Yes, healthy.** 3 of 3 pods ready")
                .contains("**Probes**");
        assertThat(ask("shop/cart", "is it healthy?").finalAnswer()).startsWith("**No, not healthy.** 0 of 2 pods ready")
                .contains("Root cause: **CrashLoopBackOff**");
    }

    @Test
    void resourceQuestionsSayMetricsAreMissing() {
        String a = ask("payments/payment-gateway", "how much memory does it use?").finalAnswer();
        assertThat(a).startsWith("Live CPU/memory usage is not available from a cluster dump").contains("**OOMKilled**");
    }

    @Test
    void saysPlainlyWhatItCannotAnswer() {
        Run joke = ask("shop/cart", "tell me a joke");
        assertThat(joke.finalAnswer()).startsWith("I can't answer that").contains("With no model configured I answer from "
                + "diagnosis, logs, events and history");
        assertThat(toolSteps(joke)).isEmpty();
        assertThat(ask("shop/cart", "will it crash again tomorrow?").finalAnswer()).startsWith("I can't predict");
        String write = ask("shop/cart", "restart it").finalAnswer();
        assertThat(write).startsWith("I can't change the cluster").contains("kubectl set env deployment/cart");
    }

    @Test
    void namespaceSessionsDiagnoseTheWholeNamespace() {
        String a = ask("payments/*", "what's wrong here?").finalAnswer();
        assertThat(a).contains("## Root cause: OOMKilled").contains("## Root cause: QuotaExceeded")
                .contains("## Root cause: InitContainerFailure");
    }

    @Test
    void namespaceSessionsFollowTheWorkloadAQuestionNames() {
        Run why = ask("shop/*", "why is cart failing?");
        assertThat(toolSteps(why).get(0).args()).isEqualTo("{\"name\":\"cart\"}");
        assertThat(why.finalAnswer()).startsWith("## Root cause: CrashLoopBackOff — Deployment shop/cart")
                .doesNotContain("OOMKilled");
        Run fix = followUp(why, "how do I fix it?");
        assertThat(fix.finalAnswer()).startsWith("## Fix CrashLoopBackOff on Deployment shop/cart");
        Run svc = followUp(fix, "what about the catalog-db service?");
        assertThat(svc.finalAnswer()).startsWith("## Services of shop/catalog-db").contains("selector matches no pod");
    }

    @Test
    void concurrentRunsAllCompleteWithTheirOwnSteps() throws Exception {
        String[] workloads = {"shop/cart", "shop/orders", "payments/payment-gateway", "shop/web", "data/etl-worker"};
        String[] questions = {"why is it failing?", "show me the errors since 09:50", "what changed?", "is it healthy?"};
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Run>> futures = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String w = workloads[i % workloads.length];
                String q = questions[i % questions.length];
                futures.add(pool.submit(() -> engine.askOnce(USER, w, q, "test", AgentListener.NONE)));
            }
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (var f : futures) {
                Run r = f.get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
                List<Step> steps = runs.steps(USER, r.id());
                assertThat(steps).hasSize(r.steps()).extracting(Step::runId).containsOnly(r.id());
                assertThat(steps.get(steps.size() - 1).type()).isEqualTo(StepType.RESPONSE);
                assertThat(sessions.messages(USER, r.sessionId())).hasSize(2);
                ids.add(r.id());
            }
            assertThat(ids).hasSize(40);
        } finally {
            pool.shutdownNow();
        }
    }
}

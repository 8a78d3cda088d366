package io.opsagent.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.opsagent.adapters.kubernetes.real.LocalCluster;
import io.opsagent.app.config.ClusterView;
import io.opsagent.app.config.Clusters;
import io.opsagent.app.config.Settings;
import io.opsagent.app.http.TestClient.Res;
import io.opsagent.core.actions.Action;
import io.opsagent.core.actions.ActionKind;
import io.opsagent.core.actions.ClusterActions;
import io.opsagent.core.tools.SnapshotProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The user's own identity on the real API server (issue 17): calls impersonate the asking user with the groups of
 * their token that are mapped ({@code OPSAGENT_IMPERSONATE_TOKEN_GROUPS}), never the others — the API server's own
 * SelfSubjectReview says which groups it saw. RBAC here is bound to groups only: {@code view} to {@code oncall-k8s},
 * {@code edit} to {@code writers-k8s}; zoe is in no binding herself.
 */
class RealClusterImpersonationTest {
    @RegisterExtension
    static final RealNamespace WEB = new RealNamespace("imp", 1);
    private static final String NS = WEB.name();
    private static KubernetesClient admin;

    @BeforeAll
    static void setUp() {
        admin = WEB.admin();
        LocalCluster.bindInNamespace(admin, NS, "oncall-view", "view", "Group", "oncall-k8s");
        LocalCluster.bindInNamespace(admin, NS, "writers-edit", "edit", "Group", "writers-k8s");
    }

    private static Settings settings(Map<String, String> more) {
        System.setProperty("kubeconfig", LocalCluster.get().kubeconfig("opsagent").toString());
        Map<String, String> env = new java.util.HashMap<>(Map.of("OPSAGENT_KUBE_CONTEXT", "opsagent-local",
                "OPSAGENT_IMPERSONATE", "true", "OPSAGENT_NAMESPACE", NS,
                "OPSAGENT_IMPERSONATE_TOKEN_GROUPS", "oncall=oncall-k8s,writers=writers-k8s"));
        env.putAll(more);
        return Settings.fromEnvironment(env);
    }

    private static boolean seesWeb(SnapshotProvider view) {
        return view.snapshot().deployments().stream().anyMatch(d -> d.getMetadata().getName().equals("web") && NS.equals(d.getMetadata().getNamespace()));
    }

    @Test
    void onlyMappedTokenGroupsAreSentAndTheyDecideWhatTheUserReadsAndMayChange() throws Exception {
        try (ClusterView cluster = Clusters.open(settings(Map.of()), null, null)) {
            SnapshotProvider p = cluster.provider();
            // a token with a mapped group, an unmapped one and a Kubernetes system group: only the mapped one is sent
            SnapshotProvider.Identity who = p.forUser("zoe", List.of("oncall", "team-unmapped", "system:masters")).identity();
            assertThat(who).isNotNull();
            assertThat(who.user()).isEqualTo("zoe");
            assertThat(who.groups()).contains("oncall-k8s").doesNotContain("system:masters", "team-unmapped", "oncall");

            assertThat(seesWeb(p.forUser("zoe", List.of("oncall")))).isTrue();
            assertThat(seesWeb(p.forUser("zoe", List.of()))).isFalse(); // zoe herself is bound to nothing
            assertThat(seesWeb(p.forUser("zoe", List.of("system:masters")))).isFalse();
            assertThat(p.forUser("zoe", List.of("oncall")).mayChange(NS)).isFalse();
            assertThat(p.forUser("zoe", List.of("writers")).mayChange(NS)).isTrue();

            // the SubjectAccessReview before a write asks about the same identity: mapped groups only
            Action scale = Action.of(ActionKind.SCALE, NS, "Deployment", "web", new ObjectMapper().readTree("{\"replicas\":2}"));
            ClusterActions actions = p.actions();
            assertThat(actions.access(scale, new ClusterActions.Identity("zoe", List.of("writers"))).allowed()).isTrue();
            assertThat(actions.access(scale, new ClusterActions.Identity("zoe", List.of("oncall"))).allowed()).isFalse();
            assertThat(actions.access(scale, new ClusterActions.Identity("zoe", List.of("system:masters"))).allowed()).isFalse();
        }
    }

    /** What deploy/kubernetes/opsagent-impersonation-rbac.yaml grants, applied as shipped, asked of the API server. */
    @Test
    void theShippedImpersonationRbacAllowsExactlyTheListedGroups() throws Exception {
        String group = "opsagent-readers-" + NS;
        String yaml = java.nio.file.Files.readString(java.nio.file.Path.of("../../deploy/kubernetes/opsagent-impersonation-rbac.yaml"))
                .replace("name: opsagent-impersonation", "name: " + NS + "-impersonation")
                .replace("name: opsagent-readers", "name: " + group);
        var items = admin.load(new java.io.ByteArrayInputStream(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8))).items();
        assertThat(items).hasSize(2);
        items.forEach(i -> admin.resource(i).create());
        try {
            java.util.function.BiFunction<String, String, Boolean> may = (resource, name) -> admin.authorization().v1()
                    .subjectAccessReview().create(new io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder()
                            .withNewSpec().withUser("functions-" + NS).withGroups(group).withNewResourceAttributes()
                            .withVerb("impersonate").withResource(resource).withName(name).endResourceAttributes().endSpec().build())
                    .getStatus().getAllowed();
            assertThat(may.apply("users", "zoe@example.com")).isTrue();
            assertThat(may.apply("groups", "payments-oncall")).isTrue();
            assertThat(may.apply("groups", "shop-developers")).isTrue();
            assertThat(may.apply("groups", "system:masters")).isFalse();
            assertThat(may.apply("groups", "anything-else")).isFalse();
            assertThat(may.apply("serviceaccounts", "default")).isFalse();
        } finally {
            admin.rbac().clusterRoleBindings().withName(NS + "-impersonation").delete();
            admin.rbac().clusterRoles().withName(NS + "-impersonation").delete();
        }
    }

    @Test
    void aSystemGroupCannotBeMappedTo() {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> Clusters.open(
                settings(Map.of("OPSAGENT_IMPERSONATE_TOKEN_GROUPS", "admins=system:masters")), null, null)))
                .hasMessageContaining("OPSAGENT_IMPERSONATE_TOKEN_GROUPS").hasMessageContaining("system group");
    }

    @Test
    void localUsersGroupsComeFromTheProjectsFileAndReachTheCluster() throws Exception {
        try (ClusterView cluster = Clusters.open(settings(Map.of()), null, null);
             LocalServer app = LocalServer.start(new LocalServer.Options(cluster.provider(), cluster.inputDir(), null, null,
                     "127.0.0.1", 0, null, null, null))) {
            app.projects(io.opsagent.core.access.Projects.read(new ObjectMapper().readTree(
                    "{\"users\":{\"zoe\":{\"groups\":[\"oncall\"]}},"
                            + "\"projects\":[{\"name\":\"web\",\"namespaces\":[\"" + NS + "\"],\"groups\":{\"oncall\":\"viewer\"},"
                            + "\"users\":{\"yan\":\"viewer\"}}]}")));
            TestClient zoe = new TestClient(app.http().uri(), "zoe");
            Res me = zoe.get("/api/me?cluster=1");
            assertThat(me.status()).as(me.body()).isEqualTo(200);
            assertThat(me.json().path("groups").toString()).contains("oncall");
            assertThat(me.json().path("projects").get(0).path("role").asText()).isEqualTo("viewer");
            assertThat(me.json().path("cluster").path("user").asText()).isEqualTo("zoe");
            assertThat(me.json().path("cluster").path("groups").toString()).contains("oncall-k8s");
            Res workloads = zoe.get("/api/workloads");
            assertThat(workloads.status()).as(workloads.body()).isEqualTo(200);
            assertThat(names(workloads)).contains("web");
            // yan is a viewer of the project, but the cluster's RBAC gives him nothing: the project never widens RBAC
            Res yan = zoe.as("yan").get("/api/workloads");
            assertThat(yan.status()).isEqualTo(200);
            assertThat(names(yan)).doesNotContain("web");
            assertThat(yan.json().path("unreadable").toString()).contains("403");
        }
    }

    private static List<String> names(Res list) {
        List<String> out = new ArrayList<>();
        list.json().path("items").forEach(i -> out.add(i.path("name").asText()));
        return out;
    }
}

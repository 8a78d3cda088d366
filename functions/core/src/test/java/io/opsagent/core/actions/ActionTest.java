package io.opsagent.core.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActionTest {
    private static ObjectNode obj() {
        return JsonNodeFactory.instance.objectNode();
    }

    @Test
    void theHashIsOfTheCanonicalJsonWhateverTheOrderTheParametersCameIn() {
        ObjectNode a = obj();
        a.put("container", "cart");
        a.putObject("limits").put("memory", "2Gi").put("cpu", "1");
        ObjectNode b = obj();
        b.putObject("limits").put("cpu", "1").put("memory", "2Gi");
        b.put("container", "cart");
        Action x = Action.of(ActionKind.SET_RESOURCES, "shop", "Deployment", "cart", a);
        Action y = Action.of(ActionKind.SET_RESOURCES, "shop", "Deployment", "cart", b);
        assertThat(x.canonical()).isEqualTo(y.canonical())
                .isEqualTo("{\"kind\":\"set-resources\",\"namespace\":\"shop\",\"params\":{\"container\":\"cart\","
                        + "\"limits\":{\"cpu\":\"1\",\"memory\":\"2Gi\"}},\"target\":{\"kind\":\"Deployment\",\"name\":\"cart\"}}");
        assertThat(x.hash()).isEqualTo(y.hash()).hasSize(64)
                .isEqualTo(Canonical.sha256(x.canonical()));
        // one character more is another action
        b.with("limits").put("memory", "3Gi");
        assertThat(Action.of(ActionKind.SET_RESOURCES, "shop", "Deployment", "cart", b).hash()).isNotEqualTo(x.hash());
        assertThat(Action.fromJson(x.toJson())).isEqualTo(x);
    }

    @Test
    void everyBadParameterIsNamed() {
        record Case(ActionKind kind, String targetKind, String json, String message) {
        }
        for (Case c : List.of(
                new Case(ActionKind.SCALE, "Deployment", "{\"replicas\":-1}", "replicas must be from 0 to 1000, got -1"),
                new Case(ActionKind.SCALE, "Deployment", "{\"replicas\":\"three\"}", "replicas must be a whole number"),
                new Case(ActionKind.SCALE, "ConfigMap", "{\"replicas\":1}", "scale applies to Deployment or StatefulSet, not ConfigMap"),
                new Case(ActionKind.SCALE, "Deployment", "{\"replicas\":1,\"force\":true}", "force is not a parameter of this action"),
                new Case(ActionKind.SET_IMAGE, "Deployment", "{\"container\":\"web\",\"image\":\"a b\"}", "image must be an image reference"),
                new Case(ActionKind.SET_IMAGE, "Deployment", "{\"image\":\"nginx\"}", "container is missing"),
                new Case(ActionKind.SET_RESOURCES, "Deployment", "{\"container\":\"web\"}", "requests/limits give requests, limits or both"),
                new Case(ActionKind.SET_RESOURCES, "Deployment", "{\"container\":\"web\",\"limits\":{\"memory\":\"lots\"}}", "limits.memory must be a quantity"),
                new Case(ActionKind.SET_RESOURCES, "Deployment", "{\"container\":\"web\",\"limits\":{\"gpu\":\"1\"}}", "limits.gpu only cpu and memory"),
                new Case(ActionKind.RESTART, "Deployment", "{\"restartedAt\":\"now\"}", "restartedAt must be an ISO instant"),
                new Case(ActionKind.ROLLBACK, "StatefulSet", "{\"revision\":1}", "rollback applies to Deployment"),
                new Case(ActionKind.PATCH_CONFIGMAP, "ConfigMap", "{\"key\":\"a/b\",\"value\":\"x\"}", "key must match"),
                new Case(ActionKind.PATCH_CONFIGMAP, "ConfigMap", "{\"key\":\"a\",\"value\":3}", "value must be a string"),
                new Case(ActionKind.DELETE_POD, "Pod", "{\"grace\":0}", "grace is not a parameter"),
                new Case(ActionKind.APPLY_MANIFEST, "Secret", "{\"manifest\":{}}", "Secret cannot be applied"),
                new Case(ActionKind.APPLY_MANIFEST, "Job", "{\"manifest\":{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\",\"metadata\":{\"name\":\"other\"}}}",
                        "manifest.metadata.name is 'other', the target is backup"),
                new Case(ActionKind.APPLY_MANIFEST, "Job", "{\"manifest\":{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\",\"metadata\":{\"name\":\"backup\",\"namespace\":\"prod\"}}}",
                        "manifest.metadata.namespace is 'prod', the target's namespace is shop"))) {
            String name = c.kind() == ActionKind.APPLY_MANIFEST ? "backup" : "web";
            assertThatThrownBy(() -> Action.of(c.kind(), "shop", c.targetKind(), name, Canonical.parse(c.json())))
                    .as(c.json()).isInstanceOfSatisfying(ActionException.class,
                            e -> assertThat(e.reason()).isEqualTo(ActionException.Reason.BAD_INPUT))
                    .hasMessageContaining(c.message());
        }
        assertThatThrownBy(() -> Action.of(ActionKind.SCALE, "Shop!", "Deployment", "web", null))
                .hasMessageContaining("namespace must be a DNS-1123 name");
        assertThatThrownBy(() -> ActionKind.of("explode")).hasMessageContaining("unknown action 'explode'; one of: scale, restart");
    }

    @Test
    void aManifestIsKeptWithoutItsStatusAndInTheTargetsNamespace() {
        Action a = Action.of(ActionKind.APPLY_MANIFEST, "data", "Job", "backup", Canonical.parse(
                "{\"manifest\":{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\",\"metadata\":{\"name\":\"backup\"},"
                        + "\"spec\":{\"template\":{}},\"status\":{\"active\":1}}}"));
        assertThat(a.params().get("manifest").has("status")).isFalse();
        assertThat(a.params().get("manifest").path("metadata").path("namespace").asText()).isEqualTo("data");
        assertThat(a.summary()).startsWith("apply-manifest data/Job/backup (manifest,");
    }
}

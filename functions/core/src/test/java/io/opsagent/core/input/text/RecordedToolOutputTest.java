package io.opsagent.core.input.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.cluster.ContainerLog;
import org.junit.jupiter.api.Test;

/** Output recorded by an agent's tools: JSON headers, stdout/stderr markers, bare commands before the output. */
class RecordedToolOutputTest {

    @Test
    void describeStyleEventsTableForTheObjectNamedInTheHeader() throws Exception {
        ClusterSnapshot s = new TextEvidenceReader().readText("kubectl_events.txt", String.join("\n",
                "{\"toolset_name\":\"kubernetes/core\",\"tool_name\":\"kubectl_events\",\"match_params\":{\"resource_type\":\"pod\",\"pod_name\":\"nginx-1\",\"namespace\":\"web\"}}",
                "Type\tReason     Age\tFrom           \tMessage",
                "----\t------     ----   ----           \t-------",
                "Normal  Scheduled  4m28s  default-scheduler  Successfully assigned web/nginx-1 to node-1",
                "Warning  Failed    4m1s (x4 over 4m28s)  kubelet  \tError: ImagePullBackOff",
                ""));
        assertThat(s.logs()).isEmpty();
        assertThat(s.eventsFor("Pod", "web", "nginx-1")).extracting(Event::getReason).containsExactly("Scheduled", "Failed");
        Event failed = s.eventsFor("Pod", "web", "nginx-1").get(1);
        assertThat(failed.getCount()).isEqualTo(4);
        assertThat(failed.getMessage()).isEqualTo("Error: ImagePullBackOff");
        assertThat(s.ref(failed, "message")).isEqualTo("kubectl_events.txt:5");
    }

    @Test
    void previousLogsToolAndDefaultedContainerFromStderr() throws Exception {
        ClusterSnapshot s = new TextEvidenceReader().readText("tool.txt", String.join("\n",
                "{\"toolset_name\":\"kubernetes/logs\",\"tool_name\":\"kubectl_previous_logs_all_containers\",\"match_params\":{\"pod_name\":\"orders-5f7-abcde\",\"namespace\":\"shop\"}}",
                "stdout:",
                "INFO:     Started server process [1]",
                "ERROR:app:Database connection failed: FATAL: password authentication failed",
                "",
                "stderr:",
                "Defaulted container \"fastapi-app\" out of: fastapi-app, curl-sidecar",
                ""));
        ContainerLog log = s.logs().get(0);
        assertThat(log.previous()).isTrue();
        assertThat(log.container()).isEqualTo("fastapi-app");
        assertThat(log.pod()).isEqualTo("orders-5f7-abcde");
        assertThat(log.lines()).extracting(l -> l.number()).containsExactly(3, 4);
    }

    @Test
    void bareCommandLineAfterHeadersStartsTheOutput() throws Exception {
        ClusterSnapshot s = new TextEvidenceReader().readText("bash.txt", String.join("\n",
                "{\"toolset_name\":\"bash\",\"tool_name\":\"run_bash_command\",\"match_params\":{\"command\":\"kubectl get pods -n jobs\"}}",
                "{\"schema_version\": \"robusta:v1.0.0\", \"status\": \"success\", \"error\": null, \"return_code\": 0, \"invocation\": \"kubectl get pods -n jobs\"}",
                "kubectl get pods -n jobs",
                "NAME               READY   STATUS      RESTARTS   AGE",
                "report-28-x7k2p    0/1     Completed   0          3h",
                "report-29-q9w4z    0/1     OOMKilled   0          2h",
                ""));
        assertThat(s.pods()).extracting(p -> p.getMetadata().getNamespace() + "/" + p.getStatus().getPhase())
                .containsExactly("jobs/Succeeded", "jobs/Failed");
        assertThat(s.pods().get(1).getStatus().getContainerStatuses().get(0).getState().getTerminated().getReason())
                .isEqualTo("OOMKilled");
    }

    @Test
    void lineageTreeRowsGivePods() throws Exception {
        ClusterSnapshot s = new TextEvidenceReader().readText("lineage.txt", String.join("\n",
                "{\"toolset_name\":\"kubernetes/extras\",\"tool_name\":\"kubectl_lineage_children\",\"match_params\":{\"kind\":\"deployment\",\"name\":\"orders\",\"namespace\":\"shop\"}}",
                "stdout:",
                "NAME                                   READY   STATUS                              AGE",
                "Deployment/orders                      0/1                                         11s",
                "├── Event/orders.180b8363b62fcb16      -       ScalingReplicaSet: Scaled up        11s",
                "└── ReplicaSet/orders-766b65899b       0/1                                         11s",
                "    └── Pod/orders-766b65899b-lwqnt    0/1     CrashLoopBackOff                    11s",
                "",
                "stderr:",
                ""));
        assertThat(s.pods()).singleElement().satisfies(p -> {
            assertThat(p.getMetadata().getName()).isEqualTo("orders-766b65899b-lwqnt");
            assertThat(p.getMetadata().getNamespace()).isEqualTo("shop");
            assertThat(p.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
        });
        assertThat(s.deployments()).singleElement().satisfies(d -> assertThat(d.getStatus().getReadyReplicas()).isZero());
    }

    @Test
    void headerlessGrepRowsOfDeploymentsAreNotTakenForPods() throws Exception {
        ClusterSnapshot s = new TextEvidenceReader().readText("find.txt", String.join("\n",
                "{\"toolset_name\":\"kubernetes/core\",\"tool_name\":\"kubectl_find_resource\",\"match_params\":{\"kind\":\"deployment\",\"keyword\":\"orders\"}}",
                "stdout:",
                "default              orders                       0/2     2            0           6s     app,sidecar        registry.example.com/orders:1,curlimages/curl       app=orders      <none>",
                "",
                "stderr:",
                ""));
        assertThat(s.pods()).isEmpty();
        assertThat(s.deployments()).singleElement().satisfies(d -> {
            assertThat(d.getMetadata().getNamespace()).isEqualTo("default");
            assertThat(d.getSpec().getReplicas()).isEqualTo(2);
            assertThat(d.getStatus().getReadyReplicas()).isZero();
            assertThat(d.getStatus().getAvailableReplicas()).isZero();
        });
    }

    @Test
    void alertRecordEventsBecomeEventsWithTimes() throws Exception {
        String data = "[{\\\"type\\\": \\\"table\\\", \\\"data\\\": {\\\"headers\\\": [\\\"reason\\\", \\\"type\\\", \\\"time\\\", \\\"message\\\"], "
                + "\\\"rows\\\": [[\\\"FailedMount\\\", \\\"Warning\\\", 1731918091000.0, \\\"MountVolume.SetUp failed for volume \\\\\\\"cfg\\\\\\\" : configmap \\\\\\\"app-cfg\\\\\\\" not found\\\"]]}}]";
        ClusterSnapshot s = new TextEvidenceReader().readText("issue.json", "{\n"
                + "  \"subject_type\": \"pod\",\n"
                + "  \"subject_name\": \"web-1\",\n"
                + "  \"subject_namespace\": \"shop\",\n"
                + "  \"evidence\": [\n"
                + "    {\"enrichment_type\": \"k8s_events\", \"data\": \"" + data + "\"}\n"
                + "  ]\n"
                + "}\n");
        assertThat(s.eventsFor("Pod", "shop", "web-1")).singleElement().satisfies(e -> {
            assertThat(e.getReason()).isEqualTo("FailedMount");
            assertThat(e.getMessage()).isEqualTo("MountVolume.SetUp failed for volume \"cfg\" : configmap \"app-cfg\" not found");
            assertThat(e.getLastTimestamp()).isEqualTo("2024-11-18T08:21:31Z");
            assertThat(s.ref(e, "message")).isEqualTo("issue.json:6");
        });
    }
}

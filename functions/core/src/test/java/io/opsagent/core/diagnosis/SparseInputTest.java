package io.opsagent.core.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.cluster.TextOrigin;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Text evidence yields objects with most fields missing: the analyzers must cope and invent nothing. */
class SparseInputTest {

    private static <T extends HasMetadata> T named(T o, String name) {
        ObjectMeta m = new ObjectMetaBuilder().withName(name).withNamespace(o instanceof Node ? null : "ns").build();
        o.setMetadata(m);
        return o;
    }

    @Test
    void objectsWithoutSpecOrStatusProduceNoFindingAndNoError() {
        ClusterSnapshot.Builder b = ClusterSnapshot.builder("sparse");
        TextOrigin o = new TextOrigin("describe.txt", 1);
        Pod bare = named(new Pod(), "bare-pod");
        Pod statusOnly = named(new Pod(), "status-only-7d9f8c6b5-x2x4z");
        statusOnly.setStatus(new PodStatus());
        statusOnly.getStatus().setPhase("Pending");
        Deployment dep = named(new Deployment(), "status-only");
        dep.setStatus(new DeploymentStatus());
        Job job = named(new Job(), "job");
        job.setStatus(new JobStatus());
        Service svc = named(new Service(), "svc");
        svc.setSpec(new ServiceSpec());
        svc.getSpec().setSelector(Map.of());
        PersistentVolumeClaim pvc = named(new PersistentVolumeClaim(), "claim");
        pvc.setStatus(new PersistentVolumeClaimStatus());
        Event e = named(new Event(), "ev");
        e.setInvolvedObject(new ObjectReference());
        Event e2 = named(new Event(), "ev2");
        for (HasMetadata x : List.of(bare, statusOnly, dep, job, svc, pvc, e, e2, named(new Node(), "n1"),
                named(new ReplicaSet(), "rs"), named(new StatefulSet(), "sts"), named(new DaemonSet(), "ds"),
                named(new CronJob(), "cj"), named(new Endpoints(), "svc"), named(new ConfigMap(), "cm"),
                named(new Secret(), "sec"), named(new HorizontalPodAutoscaler(), "hpa"), named(new ResourceQuota(), "q"))) {
            b.add(x, o);
        }
        b.addLog(new ContainerLog("ns", "bare-pod", "c", false, "logs.txt", List.of()));
        ClusterSnapshot s = b.build();
        assertThatCode(() -> Fixtures.engine().diagnose(s)).doesNotThrowAnyException();
        assertThat(Fixtures.engine().diagnose(s).findings()).isEmpty();
        assertThatCode(() -> Fixtures.engine().diagnose(s, "ns", "status-only")).doesNotThrowAnyException();
        assertThatCode(() -> Fixtures.engine().diagnose(s, null, "svc")).doesNotThrowAnyException();
    }
}

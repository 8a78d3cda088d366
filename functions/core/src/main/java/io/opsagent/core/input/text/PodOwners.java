package io.opsagent.core.input.text;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Completes pods known only from a table row with what their controllers say: the owner a generated name implies
 * ({@code <replicaset>-xxxxx}, {@code <job>-xxxxx}, {@code <statefulset>-N}) when that controller is in the
 * evidence, and the container name when the owner's pod template has exactly one container.
 */
final class PodOwners {
    private PodOwners() {
    }

    static void complete(List<Collected.Obj> objects) {
        List<HasMetadata> all = objects.stream().map(Collected.Obj::object)
                .filter(o -> !(o instanceof Pod)).toList(); // the possible owners
        for (Collected.Obj obj : objects) {
            HasMetadata o = obj.object();
            if (!(o instanceof Pod pod)) continue;
            if (pod.getMetadata().getOwnerReferences() == null || pod.getMetadata().getOwnerReferences().isEmpty()) {
                HasMetadata owner = impliedOwner(pod, all);
                if (owner != null) {
                    pod.getMetadata().setOwnerReferences(new ArrayList<>(List.of(
                            WorkloadDescribe.owner(owner.getKind(), owner.getMetadata().getName()))));
                }
            }
            nameUnnamedContainer(pod, all);
        }
    }

    private static HasMetadata impliedOwner(Pod pod, List<HasMetadata> all) {
        String name = pod.getMetadata().getName();
        String ns = pod.getMetadata().getNamespace();
        for (HasMetadata o : all) {
            if (!Objects.equals(ns, o.getMetadata().getNamespace()) || o.getMetadata().getName() == null) continue;
            String prefix = o.getMetadata().getName() + "-";
            if (!name.startsWith(prefix)) continue;
            String rest = name.substring(prefix.length());
            if ((o instanceof ReplicaSet || o instanceof Job) && rest.matches("[a-z0-9]{5}")) return o;
            if (o instanceof StatefulSet && rest.matches("\\d+")) return o;
        }
        return null;
    }

    private static void nameUnnamedContainer(Pod pod, List<HasMetadata> all) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) return;
        List<ContainerStatus> statuses = pod.getStatus().getContainerStatuses();
        if (statuses.size() != 1 || !"".equals(statuses.get(0).getName())) return;
        PodTemplateSpec t = template(pod, all, 0);
        if (t == null || t.getSpec() == null || t.getSpec().getContainers() == null
                || t.getSpec().getContainers().size() != 1) return;
        Container c = t.getSpec().getContainers().get(0);
        statuses.get(0).setName(c.getName());
        if (statuses.get(0).getImage() == null) statuses.get(0).setImage(c.getImage());
    }

    /** The pod template of the pod's controller (following ReplicaSet → Deployment), or null. */
    private static PodTemplateSpec template(HasMetadata o, List<HasMetadata> all, int depth) {
        if (depth > 3 || o.getMetadata().getOwnerReferences() == null) return null;
        for (OwnerReference ref : o.getMetadata().getOwnerReferences()) {
            HasMetadata owner = all.stream().filter(x -> x.getKind().equals(ref.getKind())
                    && Objects.equals(x.getMetadata().getName(), ref.getName())
                    && Objects.equals(x.getMetadata().getNamespace(), o.getMetadata().getNamespace())).findFirst().orElse(null);
            if (owner == null) continue;
            PodTemplateSpec t = null;
            if (owner instanceof ReplicaSet rs && rs.getSpec() != null) t = rs.getSpec().getTemplate();
            else if (owner instanceof Deployment d && d.getSpec() != null) t = d.getSpec().getTemplate();
            else if (owner instanceof StatefulSet ss && ss.getSpec() != null) t = ss.getSpec().getTemplate();
            else if (owner instanceof Job j && j.getSpec() != null) t = j.getSpec().getTemplate();
            if (t != null && t.getSpec() != null && t.getSpec().getContainers() != null && !t.getSpec().getContainers().isEmpty()) {
                return t;
            }
            PodTemplateSpec up = template(owner, all, depth + 1);
            if (up != null) return up;
        }
        return null;
    }
}

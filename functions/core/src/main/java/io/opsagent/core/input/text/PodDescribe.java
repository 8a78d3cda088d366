package io.opsagent.core.input.text;

import io.fabric8.kubernetes.api.model.ConfigMapVolumeSource;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSource;
import io.fabric8.kubernetes.api.model.HostPathVolumeSource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimVolumeSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.Volume;
import io.opsagent.core.cluster.TextOrigin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code kubectl describe pod} → Pod (spec, status, container statuses) and its events. */
final class PodDescribe {
    private PodDescribe() {
    }

    static void read(List<DNode> roots, Section s, TextOrigin origin, Collected out) {
        Pod pod = new Pod();
        pod.setApiVersion("v1");
        pod.setKind("Pod");
        ObjectMeta meta = DescribeCommon.metadata(roots, s.namespaceHint(), origin);
        pod.setMetadata(meta);
        PodSpec spec = new PodSpec();
        PodStatus status = new PodStatus();
        pod.setSpec(spec);
        pod.setStatus(status);

        DNode node = DNode.find(roots, "Node");
        if (node != null && Values.clean(node.value) != null) {
            String v = node.value.trim();
            int slash = v.indexOf('/');
            spec.setNodeName(slash > 0 ? v.substring(0, slash) : v);
            if (slash > 0) status.setHostIP(v.substring(slash + 1));
            origin.field("spec.nodeName", node.number());
        }
        String sa = DNode.value(roots, "Service Account");
        if (sa != null) spec.setServiceAccountName(sa);
        String priority = DNode.value(roots, "Priority Class Name");
        if (priority != null) spec.setPriorityClassName(priority);
        Integer prio = Values.integer(DNode.value(roots, "Priority"));
        if (prio != null) spec.setPriority(prio);
        status.setStartTime(Values.time(DNode.value(roots, "Start Time")));

        DNode st = DNode.find(roots, "Status");
        if (st != null && Values.clean(st.value) != null) {
            String phase = st.value.trim().split("\\s+")[0];
            if (phase.equals("Terminating")) {
                meta.setDeletionTimestamp(status.getStartTime());
                phase = "Running";
            }
            status.setPhase(phase);
            origin.field("status.phase", st.number());
        }
        DNode reason = DNode.find(roots, "Reason");
        if (reason != null && Values.clean(reason.value) != null) {
            status.setReason(reason.value.trim());
            origin.field("status.reason", reason.number());
        }
        DNode message = DNode.find(roots, "Message");
        if (message != null && !message.valueLines().isEmpty()) {
            status.setMessage(String.join("\n", message.valueLines()));
            origin.field("status.message", message.number());
        }
        String ip = DNode.value(roots, "IP");
        if (ip != null) {
            status.setPodIP(ip);
            status.setPodIPs(new ArrayList<>(List.of(new PodIP(ip))));
        }
        String qos = DNode.value(roots, "QoS Class");
        if (qos != null) status.setQosClass(qos);

        containers(DNode.find(roots, "Init Containers"), "spec.initContainers", "status.initContainerStatuses",
                origin, spec::setInitContainers, status::setInitContainerStatuses);
        containers(DNode.find(roots, "Containers"), "spec.containers", "status.containerStatuses",
                origin, spec::setContainers, status::setContainerStatuses);
        containers(DNode.find(roots, "Ephemeral Containers"), "spec.ephemeralContainers", "status.ephemeralContainerStatuses",
                origin, l -> { }, l -> { });

        DNode conditions = DNode.find(roots, "Conditions");
        if (conditions != null) {
            List<PodCondition> list = new ArrayList<>();
            origin.field("status.conditions", conditions.number());
            for (Table.Row r : DescribeCommon.table(conditions).rows) {
                PodCondition c = new PodCondition();
                c.setType(r.get("TYPE"));
                c.setStatus(r.get("STATUS"));
                if (r.has("REASON")) c.setReason(r.get("REASON"));
                if (r.has("MESSAGE")) c.setMessage(r.get("MESSAGE"));
                origin.field("status.conditions[" + list.size() + "]", r.line().number());
                list.add(c);
            }
            status.setConditions(list);
        }
        spec.setVolumes(volumes(DNode.find(roots, "Volumes"), origin));

        DNode selectors = DNode.find(roots, "Node-Selectors");
        if (selectors != null) {
            Map<String, String> sel = Values.keyValues(selectors.valueLines());
            if (!sel.isEmpty()) spec.setNodeSelector(sel);
            origin.field("spec.nodeSelector", selectors.number());
        }
        DNode tolerations = DNode.find(roots, "Tolerations");
        if (tolerations != null) {
            spec.setTolerations(DescribeCommon.tolerations(tolerations));
            origin.field("spec.tolerations", tolerations.number());
        }
        out.add(pod, origin);
        EventRows.fromDescribe(DNode.find(roots, "Events"), "Pod", meta.getNamespace(), meta.getName(), s.file(), out);
    }

    private static void containers(DNode block, String specPath, String statusPath, TextOrigin origin,
                                   java.util.function.Consumer<List<Container>> specs,
                                   java.util.function.Consumer<List<ContainerStatus>> statuses) {
        if (block == null) return;
        List<Container> cs = new ArrayList<>();
        List<ContainerStatus> ss = new ArrayList<>();
        for (DNode c : block.children) {
            if (c.key == null || !c.value.isEmpty()) continue;
            ContainerBlock b = ContainerBlock.read(c, specPath + "[" + cs.size() + "]",
                    statusPath + "[" + ss.size() + "]", origin);
            cs.add(b.container);
            if (b.status != null) ss.add(b.status);
        }
        specs.accept(cs);
        if (!ss.isEmpty()) statuses.accept(ss);
    }

    /** Pod template ("Pod Template:" of a workload) → PodTemplateSpec; paths under {@code base} (e.g. spec.template). */
    static PodTemplateSpec template(DNode tpl, String base, TextOrigin origin) {
        PodTemplateSpec t = new PodTemplateSpec();
        ObjectMeta m = new ObjectMeta();
        t.setMetadata(m);
        PodSpec spec = new PodSpec();
        t.setSpec(spec);
        if (tpl == null) return t;
        origin.field(base, tpl.number());
        DNode labels = tpl.child("Labels");
        if (labels != null) m.setLabels(Values.keyValues(labels.valueLines()));
        DNode ann = tpl.child("Annotations");
        if (ann != null) {
            Map<String, String> a = Values.annotations(ann.valueLines());
            if (!a.isEmpty()) m.setAnnotations(a);
        }
        String sa = tpl.childValue("Service Account");
        if (sa != null) spec.setServiceAccountName(sa);
        containers(tpl.child("Init Containers"), base + ".spec.initContainers", base + ".status", origin,
                spec::setInitContainers, l -> { });
        containers(tpl.child("Containers"), base + ".spec.containers", base + ".status", origin,
                spec::setContainers, l -> { });
        spec.setVolumes(volumes(tpl.child("Volumes"), origin));
        DNode sel = tpl.child("Node-Selectors");
        if (sel != null) {
            Map<String, String> ns = Values.keyValues(sel.valueLines());
            if (!ns.isEmpty()) spec.setNodeSelector(ns);
            origin.field(base + ".spec.nodeSelector", sel.number());
        }
        DNode tol = tpl.child("Tolerations");
        if (tol != null) spec.setTolerations(DescribeCommon.tolerations(tol));
        String pc = tpl.childValue("Priority Class Name");
        if (pc != null) spec.setPriorityClassName(pc);
        return t;
    }

    private static List<Volume> volumes(DNode block, TextOrigin origin) {
        List<Volume> out = new ArrayList<>();
        if (block == null) return out;
        for (DNode v : block.children) {
            if (v.key == null || !v.value.isEmpty()) continue;
            Volume vol = new Volume();
            vol.setName(v.key);
            String type = v.childValue("Type");
            type = type == null ? "" : type;
            if (type.startsWith("PersistentVolumeClaim")) {
                vol.setPersistentVolumeClaim(new PersistentVolumeClaimVolumeSource(v.childValue("ClaimName"),
                        Values.bool(v.childValue("ReadOnly"))));
            } else if (type.startsWith("ConfigMap")) {
                ConfigMapVolumeSource cm = new ConfigMapVolumeSource();
                cm.setName(v.childValue("Name"));
                cm.setOptional(Values.bool(v.childValue("Optional")));
                vol.setConfigMap(cm);
            } else if (type.startsWith("Secret")) {
                SecretVolumeSource sv = new SecretVolumeSource();
                sv.setSecretName(v.childValue("SecretName"));
                sv.setOptional(Values.bool(v.childValue("Optional")));
                vol.setSecret(sv);
            } else if (type.startsWith("EmptyDir")) {
                vol.setEmptyDir(new EmptyDirVolumeSource());
            } else if (type.startsWith("HostPath")) {
                HostPathVolumeSource hp = new HostPathVolumeSource();
                hp.setPath(v.childValue("Path"));
                hp.setType(v.childValue("HostPathType"));
                vol.setHostPath(hp);
            }
            origin.field("spec.volumes[" + out.size() + "]", v.number());
            out.add(vol);
        }
        return out;
    }
}

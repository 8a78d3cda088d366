package io.opsagent.core.input.text;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.PersistentVolumeSpec;
import io.fabric8.kubernetes.api.model.PersistentVolumeStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaSpec;
import io.fabric8.kubernetes.api.model.ResourceQuotaStatus;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.VolumeResourceRequirements;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerCondition;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerStatus;
import io.opsagent.core.cluster.TextOrigin;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code kubectl describe} of Node, Service, PVC, PV, HPA, ResourceQuota, ConfigMap, Secret and Endpoints. */
final class InfraDescribe {
    /**
     * Annotation the reader puts on a described node: its count of non-terminated pods, as {@code kubectl describe
     * node} says it ({@code Non-terminated Pods: (17 in total)}).
     */
    static final String NON_TERMINATED_PODS = io.opsagent.core.cluster.KubeKinds.NON_TERMINATED_PODS;

    private static final Pattern TAINT = Pattern.compile("^([^=:\\s]+)(?:=([^:\\s]*))?:(\\w+)$");
    private static final Pattern SVC_PORT = Pattern.compile("^(?:(\\S+)\\s+)?(\\d+)/(\\w+)$");
    private static final Pattern ACCESS = Pattern.compile("\\b(RWO|ROX|RWX|RWOP)\\b");

    private InfraDescribe() {
    }

    private static ObjectMeta meta(List<DNode> roots, Section s, TextOrigin origin, boolean clusterScoped) {
        ObjectMeta m = DescribeCommon.metadata(roots, clusterScoped ? null : s.namespaceHint(), origin);
        if (clusterScoped) m.setNamespace(null);
        return m;
    }

    static void node(List<DNode> roots, Section s, TextOrigin origin, Collected out) {
        Node node = new Node();
        node.setApiVersion("v1");
        node.setKind("Node");
        ObjectMeta meta = meta(roots, s, origin, true);
        node.setMetadata(meta);
        NodeSpec spec = new NodeSpec();
        NodeStatus status = new NodeStatus();
        node.setSpec(spec);
        node.setStatus(status);
        DNode taints = DNode.find(roots, "Taints");
        if (taints != null) {
            List<Taint> list = new ArrayList<>();
            for (String t : taints.valueLines()) {
                Matcher m = TAINT.matcher(t.trim());
                if (m.matches()) list.add(new Taint(m.group(3), m.group(1), null, m.group(2)));
            }
            if (!list.isEmpty()) spec.setTaints(list);
            origin.field("spec.taints", taints.number());
        }
        DNode unsched = DNode.find(roots, "Unschedulable");
        if (unsched != null) {
            spec.setUnschedulable(Values.bool(unsched.value));
            origin.field("spec.unschedulable", unsched.number());
        }
        DNode conditions = DNode.find(roots, "Conditions");
        if (conditions != null) {
            List<NodeCondition> list = new ArrayList<>();
            origin.field("status.conditions", conditions.number());
            for (Table.Row r : DescribeCommon.table(conditions).rows) {
                NodeCondition c = new NodeCondition();
                c.setType(r.get("TYPE"));
                c.setStatus(r.get("STATUS"));
                c.setReason(r.get("REASON"));
                c.setMessage(r.get("MESSAGE"));
                c.setLastHeartbeatTime(Values.time(r.get("LASTHEARTBEATTIME")));
                c.setLastTransitionTime(Values.time(r.get("LASTTRANSITIONTIME")));
                origin.field("status.conditions[" + list.size() + "]", r.line().number());
                list.add(c);
            }
            status.setConditions(list);
        }
        DNode addresses = DNode.find(roots, "Addresses");
        if (addresses != null) {
            List<NodeAddress> list = new ArrayList<>();
            for (DNode a : addresses.children) if (a.key != null) list.add(new NodeAddress(a.value, a.key));
            status.setAddresses(list);
        }
        status.setCapacity(quantities(DNode.find(roots, "Capacity"), "status.capacity", origin));
        status.setAllocatable(quantities(DNode.find(roots, "Allocatable"), "status.allocatable", origin));
        DNode info = DNode.find(roots, "System Info");
        if (info != null) {
            NodeSystemInfo si = new NodeSystemInfo();
            si.setKubeletVersion(info.childValue("Kubelet Version"));
            si.setOsImage(info.childValue("OS Image"));
            si.setKernelVersion(info.childValue("Kernel Version"));
            si.setContainerRuntimeVersion(info.childValue("Container Runtime Version"));
            si.setArchitecture(info.childValue("Architecture"));
            si.setOperatingSystem(info.childValue("Operating System"));
            status.setNodeInfo(si);
        }
        String podCidr = DNode.value(roots, "PodCIDR");
        if (podCidr != null) spec.setPodCIDR(podCidr);
        String provider = DNode.value(roots, "ProviderID");
        if (provider != null) spec.setProviderID(provider);
        // "Non-terminated Pods: (17 in total)": how many pods run on it (the listing below it may be cut)
        DNode running = DNode.find(roots, "Non-terminated Pods");
        if (running != null && running.value != null) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\((\\d+) in total\\)").matcher(running.value);
            if (m.find()) {
                if (meta.getAnnotations() == null) meta.setAnnotations(new LinkedHashMap<>());
                meta.getAnnotations().put(NON_TERMINATED_PODS, m.group(1));
                origin.field("metadata.annotations." + NON_TERMINATED_PODS, running.line.number());
            }
        }
        out.add(node, origin);
        EventRows.fromDescribe(DNode.find(roots, "Events"), "Node", null, meta.getName(), s.file(), out);
    }

    private static Map<String, Quantity> quantities(DNode n, String path, TextOrigin origin) {
        if (n == null) return null;
        Map<String, Quantity> q = new LinkedHashMap<>();
        origin.field(path, n.number());
        for (DNode c : n.children) {
            if (c.key == null) continue;
            Quantity v = Values.quantity(c.value);
            if (v != null) {
                q.put(c.key, v);
                origin.field(path + "." + c.key, c.number());
            }
        }
        return q;
    }

    static void service(List<DNode> roots, Section s, TextOrigin origin, Collected out) {
        Service svc = new Service();
        svc.setApiVersion("v1");
        svc.setKind("Service");
        ObjectMeta meta = meta(roots, s, origin, false);
        svc.setMetadata(meta);
        ServiceSpec spec = new ServiceSpec();
        svc.setSpec(spec);
        DNode sel = DNode.find(roots, "Selector");
        if (sel != null) {
            Map<String, String> m = Values.keyValues(sel.valueLines());
            if (!m.isEmpty()) spec.setSelector(m);
            origin.field("spec.selector", sel.number());
        }
        spec.setType(DNode.value(roots, "Type"));
        String ip = DNode.value(roots, "IP");
        if (ip != null) spec.setClusterIP(ip);
        List<ServicePort> ports = new ArrayList<>();
        List<EndpointSubset> subsets = new ArrayList<>();
        DNode endpointsLine = null;
        ServicePort current = null;
        for (DNode n : roots) {
            if (n.is("Port")) {
                Matcher m = SVC_PORT.matcher(n.value.trim());
                current = new ServicePort();
                if (m.matches()) {
                    current.setName(m.group(1) == null || m.group(1).equals("<unset>") ? null : m.group(1));
                    current.setPort(Integer.parseInt(m.group(2)));
                    current.setProtocol(m.group(3));
                }
                origin.field("spec.ports[" + ports.size() + "]", n.number());
                ports.add(current);
            } else if (n.is("TargetPort") && current != null) {
                String v = n.value.trim();
                String p = v.contains("/") ? v.substring(0, v.indexOf('/')) : v;
                Integer i = Values.integer(p);
                current.setTargetPort(i != null && String.valueOf(i).equals(p) ? new IntOrString(i) : new IntOrString(p));
            } else if (n.is("NodePort") && current != null) {
                Matcher m = SVC_PORT.matcher(n.value.trim());
                if (m.matches()) current.setNodePort(Integer.parseInt(m.group(2)));
            } else if (n.is("Endpoints")) {
                endpointsLine = n;
                List<EndpointAddress> addrs = new ArrayList<>();
                List<EndpointPort> eports = new ArrayList<>();
                for (String v : n.valueLines()) {
                    for (String ep : v.split(",")) {
                        String e = ep.trim();
                        if (e.isEmpty() || e.startsWith("+") || e.contains("more")) continue;
                        int colon = e.lastIndexOf(':');
                        EndpointAddress a = new EndpointAddress();
                        a.setIp(colon > 0 ? e.substring(0, colon) : e);
                        addrs.add(a);
                        Integer port = colon > 0 ? Values.integer(e.substring(colon + 1)) : null;
                        if (port != null && eports.stream().noneMatch(x -> port.equals(x.getPort()))) {
                            EndpointPort p = new EndpointPort();
                            p.setPort(port);
                            p.setName(current == null ? null : current.getName());
                            eports.add(p);
                        }
                    }
                }
                if (!addrs.isEmpty()) {
                    EndpointSubset sub = new EndpointSubset();
                    sub.setAddresses(addrs);
                    sub.setPorts(eports);
                    subsets.add(sub);
                }
            }
        }
        spec.setPorts(ports);
        out.add(svc, origin);
        if (endpointsLine != null) {
            Endpoints ep = new Endpoints();
            ep.setApiVersion("v1");
            ep.setKind("Endpoints");
            ObjectMeta em = new ObjectMeta();
            em.setName(meta.getName());
            em.setNamespace(meta.getNamespace());
            ep.setMetadata(em);
            ep.setSubsets(subsets);
            TextOrigin eo = new TextOrigin(s.file(), endpointsLine.number());
            eo.field("subsets", endpointsLine.number());
            out.add(ep, eo);
        }
        EventRows.fromDescribe(DNode.find(roots, "Events"), "Service", meta.getNamespace(), meta.getName(), s.file(), out);
    }

    static void endpoints(List<DNode> roots, Section s, TextOrigin origin, Collected out) {
        Endpoints ep = new Endpoints();
        ep.setApiVersion("v1");
        ep.setKind("Endpoints");
        ep.setMetadata(meta(roots, s, origin, false));
        List<EndpointSubset> subsets = new ArrayList<>();
        DNode sub = DNode.find(roots, "Subsets");
        if (sub != null) {
            origin.field("subsets", sub.number());
            EndpointSubset cur = null;
            for (Line l : sub.subtreeLines()) {
                DNode n = DNode.of(l);
                if (n.is("Addresses") || n.is("NotReadyAddresses")) {
                    List<EndpointAddress> addrs = new ArrayList<>();
                    String v = Values.clean(n.value);
                    if (v != null) {
                        for (String ip : v.split(",")) {
                            EndpointAddress a = new EndpointAddress();
                            a.setIp(ip.trim());
                            addrs.add(a);
                        }
                    }
                    if (cur == null) {
                        cur = new EndpointSubset();
                        subsets.add(cur);
                    }
                    if (n.is("Addresses")) cur.setAddresses(addrs); else cur.setNotReadyAddresses(addrs);
                }
            }
            subsets.removeIf(x -> (x.getAddresses() == null || x.getAddresses().isEmpty())
                    && (x.getNotReadyAddresses() == null || x.getNotReadyAddresses().isEmpty()));
        }
        ep.setSubsets(subsets);
        out.add(ep, origin);
    }

    static void pvc(List<DNode> roots, Section s, TextOrigin origin, Collected out) {
        PersistentVolumeClaim pvc = new PersistentVolumeClaim();
        pvc.setApiVersion("v1");
        pvc.setKind("PersistentVolumeClaim");
        ObjectMeta meta = meta(roots, s, origin, false);
        pvc.setMetadata(meta);
        PersistentVolumeClaimSpec spec = new PersistentVolumeClaimSpec();
        PersistentVolumeClaimStatus status = new PersistentVolumeClaimStatus();
        pvc.setSpec(spec);
        pvc.setStatus(status);
        DNode sc = DNode.find(roots, "StorageClass");
        if (sc != null) {
            spec.setStorageClassName(Values.clean(sc.value));
            origin.field("spec.storageClassName", sc.number());
        }
        DNode st = DNode.find(roots, "Status");
        if (st != null) {
            status.setPhase(Values.clean(st.value));
            origin.field("status.phase", st.number());
        }
        String volume = DNode.value(roots, "Volume");
        if (volume != null) spec.setVolumeName(volume);
        String capacity = DNode.value(roots, "Capacity");
        if (capacity != null) status.setCapacity(new LinkedHashMap<>(Map.of("storage", new Quantity(capacity))));
        String access = DNode.value(roots, "Access Modes");
        if (access != null) {
            List<String> modes = accessModes(access);
            spec.setAccessModes(modes);
            status.setAccessModes(modes);
        }
        spec.setVolumeMode(DNode.value(roots, "VolumeMode"));
        spec.setResources(new VolumeResourceRequirements());
        out.add(pvc, origin);
        EventRows.fromDescribe(DNode.find(roots, "Events"), "PersistentVolumeClaim", meta.getNamespace(),
                meta.getName(), s.file(), out);
    }

    static List<String> accessModes(String text) {
        List<String> modes = new ArrayList<>();
        Matcher m = ACCESS.matcher(text);
        while (m.find()) {
            modes.add(switch (m.group(1)) {
                case "RWO" -> "ReadWriteOnce";
                case "ROX" -> "ReadOnlyMany";
                case "RWX" -> "ReadWriteMany";
                default -> "ReadWriteOncePod";
            });
        }
        return modes;
    }

    static void pv(List<DNode> roots, Section s, TextOrigin origin, Collected out) {
        PersistentVolume pv = new PersistentVolume();
        pv.setApiVersion("v1");
        pv.setKind("PersistentVolume");
        ObjectMeta meta = meta(roots, s, origin, true);
        pv.setMetadata(meta);
        PersistentVolumeSpec spec = new PersistentVolumeSpec();
        PersistentVolumeStatus status = new PersistentVolumeStatus();
        pv.setSpec(spec);
        pv.setStatus(status);
        spec.setStorageClassName(DNode.value(roots, "StorageClass"));
        DNode st = DNode.find(roots, "Status");
        if (st != null) {
            status.setPhase(Values.clean(st.value));
            origin.field("status.phase", st.number());
        }
        status.setMessage(DNode.value(roots, "Message"));
        String claim = DNode.value(roots, "Claim");
        if (claim != null && claim.contains("/")) {
            ObjectReference ref = new ObjectReference();
            ref.setKind("PersistentVolumeClaim");
            ref.setNamespace(claim.substring(0, claim.indexOf('/')));
            ref.setName(claim.substring(claim.indexOf('/') + 1));
            spec.setClaimRef(ref);
        }
        spec.setPersistentVolumeReclaimPolicy(DNode.value(roots, "Reclaim Policy"));
        String access = DNode.value(roots, "Access Modes");
        if (access != null) spec.setAccessModes(accessModes(access));
        String capacity = DNode.value(roots, "Capacity");
        if (capacity != null) spec.setCapacity(new LinkedHashMap<>(Map.of("storage", new Quantity(capacity))));
        out.add(pv, origin);
        EventRows.fromDescribe(DNode.find(roots, "Events"), "PersistentVolume", null, meta.getName(), s.file(), out);
    }

    static void hpa(List<DNode> roots, Section s, TextOrigin origin, Collected out) {
        HorizontalPodAutoscaler h = new HorizontalPodAutoscaler();
        h.setApiVersion("autoscaling/v2");
        h.setKind("HorizontalPodAutoscaler");
        ObjectMeta meta = meta(roots, s, origin, false);
        h.setMetadata(meta);
        HorizontalPodAutoscalerSpec spec = new HorizontalPodAutoscalerSpec();
        HorizontalPodAutoscalerStatus status = new HorizontalPodAutoscalerStatus();
        h.setSpec(spec);
        h.setStatus(status);
        String ref = DNode.value(roots, "Reference");
        if (ref != null && ref.contains("/")) {
            String kind = Kinds.canonical(ref.substring(0, ref.indexOf('/')));
            spec.setScaleTargetRef(new CrossVersionObjectReference(Kinds.apiVersion(kind), kind, ref.substring(ref.indexOf('/') + 1)));
        }
        spec.setMinReplicas(Values.integer(DNode.value(roots, "Min replicas")));
        spec.setMaxReplicas(Values.integer(DNode.value(roots, "Max replicas")));
        for (DNode n : roots) {
            if (n.key != null && n.key.endsWith(" pods") && n.value.contains("current")) {
                Map<String, Integer> c = WorkloadDescribe.counts(n.value);
                status.setCurrentReplicas(c.get("current"));
                status.setDesiredReplicas(c.get("desired"));
                origin.field("status.currentReplicas", n.number()).field("status.desiredReplicas", n.number());
            }
        }
        DNode conditions = DNode.find(roots, "Conditions");
        if (conditions != null) {
            List<HorizontalPodAutoscalerCondition> list = new ArrayList<>();
            origin.field("status.conditions", conditions.number());
            for (Table.Row r : DescribeCommon.table(conditions).rows) {
                HorizontalPodAutoscalerCondition c = new HorizontalPodAutoscalerCondition();
                c.setType(r.get("TYPE"));
                c.setStatus(r.get("STATUS"));
                c.setReason(r.get("REASON"));
                c.setMessage(r.get("MESSAGE"));
                origin.field("status.conditions[" + list.size() + "]", r.line().number());
                list.add(c);
            }
            status.setConditions(list);
        }
        out.add(h, origin);
        EventRows.fromDescribe(DNode.find(roots, "Events"), "HorizontalPodAutoscaler", meta.getNamespace(),
                meta.getName(), s.file(), out);
    }

    static void resourceQuota(List<DNode> roots, Section s, TextOrigin origin, Collected out) {
        ResourceQuota q = new ResourceQuota();
        q.setApiVersion("v1");
        q.setKind("ResourceQuota");
        q.setMetadata(meta(roots, s, origin, false));
        Map<String, Quantity> used = new LinkedHashMap<>();
        Map<String, Quantity> hard = new LinkedHashMap<>();
        List<Line> tableLines = new ArrayList<>();
        for (Line l : s.lines()) {
            String t = l.text().trim();
            if (tableLines.isEmpty()) {
                if (t.matches("^Resource\\s+Used\\s+Hard$")) tableLines.add(l);
            } else if (!t.isEmpty()) {
                tableLines.add(l);
            }
        }
        for (Table.Row r : Table.parse(tableLines).rows) {
            String res = r.get("RESOURCE");
            if (res == null) continue;
            Quantity u = Values.quantity(r.get("USED"));
            Quantity h = Values.quantity(r.get("HARD"));
            if (u != null) used.put(res, u);
            if (h != null) hard.put(res, h);
            origin.field("status.used." + res, r.line().number()).field("status.hard." + res, r.line().number())
                    .field("spec.hard." + res, r.line().number());
        }
        ResourceQuotaSpec spec = new ResourceQuotaSpec();
        spec.setHard(hard);
        q.setSpec(spec);
        ResourceQuotaStatus status = new ResourceQuotaStatus();
        status.setHard(hard);
        status.setUsed(used);
        q.setStatus(status);
        out.add(q, origin);
    }

    /** ConfigMap ({@code Data / ====} then {@code key: / ---- / value}) and Secret ({@code key:  N bytes}). */
    static void configMapOrSecret(List<DNode> roots, Section s, TextOrigin origin, Collected out, boolean secret) {
        ObjectMeta meta = meta(roots, s, origin, false);
        Map<String, String> data = new LinkedHashMap<>();
        List<Line> lines = s.lines();
        int i = 0;
        while (i < lines.size() && !lines.get(i).text().trim().equals("Data")) i++;
        i += 2; // "Data" and "===="
        String key = null;
        StringBuilder value = new StringBuilder();
        for (; i < lines.size(); i++) {
            String t = lines.get(i).text();
            if (t.trim().equals("BinaryData") || t.startsWith("Events:")) break;
            if (secret) {
                Matcher m = Pattern.compile("^(\\S+):\\s+\\d+ bytes$").matcher(t.trim());
                if (m.matches()) data.put(m.group(1), "");
                continue;
            }
            boolean nextIsRule = i + 1 < lines.size() && lines.get(i + 1).text().trim().matches("-{3,}");
            if (nextIsRule && t.trim().endsWith(":")) {
                if (key != null) data.put(key, value.toString().strip());
                key = t.trim().substring(0, t.trim().length() - 1);
                value.setLength(0);
                i++;
            } else if (key != null) {
                value.append(t).append('\n');
            }
        }
        if (key != null) data.put(key, value.toString().strip());
        if (secret) {
            Secret sec = new Secret();
            sec.setApiVersion("v1");
            sec.setKind("Secret");
            sec.setMetadata(meta);
            sec.setType(DNode.value(roots, "Type"));
            sec.setData(data);
            out.add(sec, origin);
        } else {
            ConfigMap cm = new ConfigMap();
            cm.setApiVersion("v1");
            cm.setKind("ConfigMap");
            cm.setMetadata(meta);
            cm.setData(data);
            out.add(cm, origin);
        }
    }
}

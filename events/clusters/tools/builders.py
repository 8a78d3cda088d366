"""Higher-level builders: nodes, controllers (Deployment/ReplicaSet/StatefulSet/DaemonSet/Job), pods,
services, endpoints and events, wired with consistent names, uids and ownerReferences."""
import copy
from datetime import timedelta

from k8s import (ACCOUNT, DEFAULT_TOLERATIONS, NOW, ago, b64, cond, owner_ref, qos, ts)

KUBELET_VERSION = "v1.30.4-eks-a737599"


# ---- nodes -------------------------------------------------------------------------------------------
def node(c, name, zone, instance_id, internal_ip, created, disk_pressure_since=None, pods_alloc="58"):
    labels = {
        "beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/instance-type": "m5.xlarge",
        "beta.kubernetes.io/os": "linux", "eks.amazonaws.com/capacityType": "ON_DEMAND",
        "eks.amazonaws.com/nodegroup": "general-2026091", "eks.amazonaws.com/nodegroup-image": "ami-0a1b2c3d4e5f60718",
        "failure-domain.beta.kubernetes.io/region": "eu-west-1", "failure-domain.beta.kubernetes.io/zone": zone,
        "k8s.io/cloud-provider-aws": "5b1c0ad3f4a3e3b7b2f1e4b6f0c9d8a7", "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "node.kubernetes.io/instance-type": "m5.xlarge",
        "topology.ebs.csi.aws.com/zone": zone, "topology.kubernetes.io/region": "eu-west-1",
        "topology.kubernetes.io/zone": zone,
    }
    md = c.meta(name, created=created, labels=labels, annotations={
        "alpha.kubernetes.io/provided-node-ip": internal_ip,
        "csi.volume.kubernetes.io/nodeid": '{"ebs.csi.aws.com":"%s"}' % instance_id,
        "node.alpha.kubernetes.io/ttl": "0",
        "volumes.kubernetes.io/controller-managed-attach-detach": "true"})
    hb = ago(seconds=c.rng.randint(5, 40))
    booted = created + timedelta(seconds=35)
    dp = disk_pressure_since is not None
    conditions = [
        {"type": "MemoryPressure", "status": "False", "lastHeartbeatTime": ts(hb), "lastTransitionTime": ts(booted),
         "reason": "KubeletHasSufficientMemory", "message": "kubelet has sufficient memory available"},
        {"type": "DiskPressure", "status": "True" if dp else "False", "lastHeartbeatTime": ts(hb),
         "lastTransitionTime": ts(disk_pressure_since if dp else booted),
         "reason": "KubeletHasDiskPressure" if dp else "KubeletHasNoDiskPressure",
         "message": "kubelet has disk pressure" if dp else "kubelet has no disk pressure"},
        {"type": "PIDPressure", "status": "False", "lastHeartbeatTime": ts(hb), "lastTransitionTime": ts(booted),
         "reason": "KubeletHasSufficientPID", "message": "kubelet has sufficient PID available"},
        {"type": "Ready", "status": "True", "lastHeartbeatTime": ts(hb), "lastTransitionTime": ts(booted + timedelta(seconds=14)),
         "reason": "KubeletReady", "message": "kubelet is posting ready status"},
    ]
    spec = {"providerID": "aws:///%s/%s" % (zone, instance_id)}
    if dp:
        spec["taints"] = [{"key": "node.kubernetes.io/disk-pressure", "effect": "NoSchedule",
                           "timeAdded": ts(disk_pressure_since)}]
    n = {
        "kind": "Node", "apiVersion": "v1", "metadata": md, "spec": spec,
        "status": {
            "capacity": {"cpu": "4", "ephemeral-storage": "83873772Ki", "hugepages-1Gi": "0", "hugepages-2Mi": "0",
                         "memory": "15896536Ki", "pods": pods_alloc},
            "allocatable": {"cpu": "3920m", "ephemeral-storage": "76224326324", "hugepages-1Gi": "0",
                            "hugepages-2Mi": "0", "memory": "14879704Ki", "pods": pods_alloc},
            "conditions": conditions,
            "addresses": [{"type": "InternalIP", "address": internal_ip},
                          {"type": "InternalDNS", "address": name},
                          {"type": "Hostname", "address": name}],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {"machineID": c.hexs(32), "systemUUID": "ec2" + c.hexs(5) + "-" + c.hexs(4) + "-" + c.hexs(4)
                         + "-" + c.hexs(4) + "-" + c.hexs(12), "bootID": c.uid(),
                         "kernelVersion": "5.10.227-219.884.amzn2.x86_64", "osImage": "Amazon Linux 2",
                         "containerRuntimeVersion": "containerd://1.7.22", "kubeletVersion": KUBELET_VERSION,
                         "kubeProxyVersion": KUBELET_VERSION, "operatingSystem": "linux", "architecture": "amd64"},
            "images": [],
        },
    }
    c.nodes.append(n)
    return n


def node_ip(n):
    return n["status"]["addresses"][0]["address"]


# ---- namespace basics --------------------------------------------------------------------------------
def namespace_basics(c, ns, created):
    cm = {"kind": "ConfigMap", "apiVersion": "v1",
          "metadata": c.meta("kube-root-ca.crt", ns, created,
                             annotations={"kubernetes.io/description": "Contains a CA bundle that can be used to "
                                          "verify the kube-apiserver when using internal endpoints such as the "
                                          "internal service IP or kubernetes.default.svc. No other usage is "
                                          "guaranteed across distributions of Kubernetes clusters."}),
          "data": {"ca.crt": "-----BEGIN CERTIFICATE-----\nMIIDBTCCAe2gAwIBAgIIR2tzZGVtbzAwDQYJKoZIhvcNAQELBQAwFTETMBEGA1UE\n"
                   "AxMKa3ViZXJuZXRlczAeFw0yNjAzMDIwODE1MjJaFw0zNjAyMjgwODIwMjJaMBUx\n"
                   "-----END CERTIFICATE-----\n"}}
    c.add(ns, "configmaps", cm)


def configmap(c, ns, name, data, created, labels=None):
    return c.add(ns, "configmaps", {"kind": "ConfigMap", "apiVersion": "v1",
                                    "metadata": c.meta(name, ns, created, labels=labels), "data": dict(data)})


def secret(c, ns, name, data, created, type_="Opaque", labels=None):
    return c.add(ns, "secrets", {"kind": "Secret", "apiVersion": "v1",
                                 "metadata": c.meta(name, ns, created, labels=labels),
                                 "data": {k: b64(v) for k, v in data.items()}, "type": type_})


# ---- controllers -------------------------------------------------------------------------------------
def deployment(c, ns, name, labels, tmpl, replicas, created, revision, status, progress_deadline=600,
               annotations_extra=None, strategy=None):
    ann = {"deployment.kubernetes.io/revision": str(revision)}
    if annotations_extra:
        ann.update(annotations_extra)
    d = {"kind": "Deployment", "apiVersion": "apps/v1",
         "metadata": c.meta(name, ns, created, labels=labels, annotations=ann, generation=revision + 1),
         "spec": {"replicas": replicas, "selector": {"matchLabels": {"app.kubernetes.io/name": name}},
                  "template": tmpl,
                  "strategy": strategy or {"type": "RollingUpdate",
                                           "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
                  "revisionHistoryLimit": 10, "progressDeadlineSeconds": progress_deadline},
         "status": dict(status, observedGeneration=revision + 1)}
    return c.add(ns, "deployments", d)


def dep_status(replicas, updated, ready, available, conditions, unavailable=None):
    s = {"observedGeneration": 0, "replicas": replicas, "updatedReplicas": updated}
    if ready:
        s["readyReplicas"] = ready
    if available:
        s["availableReplicas"] = available
    unav = unavailable if unavailable is not None else max(0, replicas - available)
    if unav:
        s["unavailableReplicas"] = unav
    s["conditions"] = conditions
    return s


def dcond(type_, status, updated, transitioned, reason, message):
    return {"type": type_, "status": status, "lastUpdateTime": ts(updated), "lastTransitionTime": ts(transitioned),
            "reason": reason, "message": message}


def replicaset(c, dep, hash_, revision, replicas, ready, available, created, tmpl=None):
    name = dep["metadata"]["name"] + "-" + hash_
    t = copy.deepcopy(tmpl or dep["spec"]["template"])
    t["metadata"]["labels"]["pod-template-hash"] = hash_
    labels = dict(t["metadata"]["labels"])
    sel = dict(dep["spec"]["selector"]["matchLabels"], **{"pod-template-hash": hash_})
    ann = {"deployment.kubernetes.io/desired-replicas": str(dep["spec"]["replicas"]),
           "deployment.kubernetes.io/max-replicas": str(dep["spec"]["replicas"] + max(1, -(-dep["spec"]["replicas"] // 4))),
           "deployment.kubernetes.io/revision": str(revision)}
    status = {"replicas": replicas, "fullyLabeledReplicas": replicas, "observedGeneration": 1 if replicas else 2}
    if ready:
        status["readyReplicas"] = ready
    if available:
        status["availableReplicas"] = available
    rs = {"kind": "ReplicaSet", "apiVersion": "apps/v1",
          "metadata": c.meta(name, dep["metadata"]["namespace"], created, labels=labels, annotations=ann, owner=dep,
                             generation=1 if replicas else 2),
          "spec": {"replicas": replicas, "selector": {"matchLabels": sel}, "template": t},
          "status": status}
    return c.add(dep["metadata"]["namespace"], "replicasets", rs)


def statefulset(c, ns, name, labels, tmpl, replicas, created, service, vcts, status):
    s = {"kind": "StatefulSet", "apiVersion": "apps/v1",
         "metadata": c.meta(name, ns, created, labels=labels, generation=1),
         "spec": {"replicas": replicas, "selector": {"matchLabels": {"app.kubernetes.io/name": name}},
                  "template": tmpl, "volumeClaimTemplates": vcts, "serviceName": service,
                  "podManagementPolicy": "OrderedReady",
                  "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}},
                  "revisionHistoryLimit": 10,
                  "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Retain"}},
         "status": status}
    return c.add(ns, "statefulsets", s)


def vct(name, size, storage_class):
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": {"name": name, "creationTimestamp": None},
            "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": storage_class,
                     "resources": {"requests": {"storage": size}}, "volumeMode": "Filesystem"},
            "status": {"phase": "Pending"}}


def pvc(c, ns, name, labels, size, storage_class, created, bound_volume=None, node_name=None):
    ann = {"volume.beta.kubernetes.io/storage-provisioner": "ebs.csi.aws.com",
           "volume.kubernetes.io/storage-provisioner": "ebs.csi.aws.com"}
    if bound_volume:
        ann.update({"pv.kubernetes.io/bind-completed": "yes", "pv.kubernetes.io/bound-by-controller": "yes"})
    if node_name:
        ann["volume.kubernetes.io/selected-node"] = node_name
    p = {"kind": "PersistentVolumeClaim", "apiVersion": "v1",
         "metadata": c.meta(name, ns, created, labels=labels, annotations=ann,
                            finalizers=["kubernetes.io/pvc-protection"]),
         "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": size}},
                  "storageClassName": storage_class, "volumeMode": "Filesystem"},
         "status": {"phase": "Pending"}}
    if bound_volume:
        p["spec"]["volumeName"] = bound_volume
        p["status"] = {"phase": "Bound", "accessModes": ["ReadWriteOnce"], "capacity": {"storage": size}}
    return c.add(ns, "pvcs", p)


# ---- pods --------------------------------------------------------------------------------------------
def kube_api_volume(c):
    name = "kube-api-access-" + c.safe(5)
    vol = {"name": name, "projected": {"sources": [
        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
        {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
        {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {"apiVersion": "v1",
                                                                      "fieldPath": "metadata.namespace"}}]}}],
        "defaultMode": 420}}
    mount = {"name": name, "readOnly": True, "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"}
    return vol, mount


def pod(c, ns, name, owner, tmpl, node, created, phase, conditions, statuses, init_statuses=None, reason=None,
        message=None, extra_labels=None, nominated=None, has_ip=True, generate_name=None):
    spec = copy.deepcopy(tmpl["spec"])
    vol, mount = kube_api_volume(c)
    spec.setdefault("volumes", []).append(vol)
    for ct in spec["containers"] + spec.get("initContainers", []):
        ct.setdefault("volumeMounts", []).append(dict(mount))
    if node is not None:
        spec["nodeName"] = node["metadata"]["name"]
    tol = spec.get("tolerations", [])
    keys = {t.get("key") for t in tol}
    spec["tolerations"] = tol + [t for t in DEFAULT_TOLERATIONS if t["key"] not in keys]
    spec.setdefault("priority", 0)
    spec["enableServiceLinks"] = True
    spec["preemptionPolicy"] = "PreemptLowerPriority"
    labels = dict(tmpl["metadata"]["labels"])
    if owner is not None and owner["kind"] == "ReplicaSet":
        labels["pod-template-hash"] = owner["spec"]["template"]["metadata"]["labels"]["pod-template-hash"]
    if extra_labels:
        labels.update(extra_labels)
    if generate_name is None and owner is not None:
        generate_name = owner["metadata"]["name"] + "-"
    md = c.meta(name, ns, created, labels=labels, annotations=tmpl["metadata"].get("annotations"), owner=owner,
                generate_name=generate_name)
    status = {"phase": phase, "conditions": conditions}
    if message:
        status["message"] = message
    if reason:
        status["reason"] = reason
    if node is not None:
        from builders import node_ip as _nip
        status["hostIP"] = _nip(node)
        status["hostIPs"] = [{"ip": _nip(node)}]
        if has_ip:
            ip = c.pod_ip(node)
            status["podIP"] = ip
            status["podIPs"] = [{"ip": ip}]
        status["startTime"] = ts(created + timedelta(seconds=1))
    if nominated:
        status["nominatedNodeName"] = nominated
    if init_statuses:
        status["initContainerStatuses"] = init_statuses
    if statuses:
        status["containerStatuses"] = statuses
    status["qosClass"] = qos(spec)
    p = {"kind": "Pod", "apiVersion": "v1", "metadata": md, "spec": spec, "status": status}
    return c.add(ns, "pods", p)


def conds_ready(scheduled, started, ready_at=None):
    ready_at = ready_at or started + timedelta(seconds=12)
    return [cond("PodReadyToStartContainers", "True", started), cond("Initialized", "True", scheduled),
            cond("Ready", "True", ready_at), cond("ContainersReady", "True", ready_at),
            cond("PodScheduled", "True", scheduled)]


def conds_not_ready(scheduled, started, since, unready, init_ok=True, init_pending=None, ready_to_start=True):
    msg = "containers with unready status: [%s]" % " ".join(unready)
    init = cond("Initialized", "True", scheduled) if init_ok else cond(
        "Initialized", "False", scheduled, "ContainersNotInitialized",
        "containers with incomplete status: [%s]" % " ".join(init_pending))
    return [cond("PodReadyToStartContainers", "True" if ready_to_start else "False", started), init,
            cond("Ready", "False", since, "ContainersNotReady", msg),
            cond("ContainersReady", "False", since, "ContainersNotReady", msg),
            cond("PodScheduled", "True", scheduled)]


def conds_unschedulable(since, message):
    return [cond("PodScheduled", "False", since, "Unschedulable", message)]


# ---- services ----------------------------------------------------------------------------------------
def service(c, ns, name, labels, selector, ports, created, cluster_ip, headless=False):
    spec = {"ports": [{"name": pn, "protocol": "TCP", "port": p, "targetPort": tp} for pn, p, tp in ports],
            "selector": dict(selector),
            "clusterIP": "None" if headless else cluster_ip, "clusterIPs": ["None" if headless else cluster_ip],
            "type": "ClusterIP", "sessionAffinity": "None", "ipFamilies": ["IPv4"],
            "ipFamilyPolicy": "SingleStack", "internalTrafficPolicy": "Cluster"}
    if headless:
        spec["publishNotReadyAddresses"] = False
    s = {"kind": "Service", "apiVersion": "v1", "metadata": c.meta(name, ns, created, labels=labels),
         "spec": spec, "status": {"loadBalancer": {}}}
    return c.add(ns, "services", s)


def endpoints(c, svc, pods, changed):
    ready, not_ready = [], []
    for p in pods:
        if p["status"].get("phase") != "Running" or "podIP" not in p["status"]:
            continue
        ok = any(cd["type"] == "Ready" and cd["status"] == "True" for cd in p["status"]["conditions"])
        addr = {"ip": p["status"]["podIP"], "nodeName": p["spec"]["nodeName"],
                "targetRef": {"kind": "Pod", "namespace": p["metadata"]["namespace"], "name": p["metadata"]["name"],
                              "uid": p["metadata"]["uid"]}}
        if svc["spec"]["clusterIP"] == "None":
            addr["hostname"] = p["metadata"]["name"]
        (ready if ok else not_ready).append(addr)
    ports = [{"name": sp["name"], "port": sp["targetPort"] if isinstance(sp["targetPort"], int) else sp["port"],
              "protocol": "TCP"} for sp in svc["spec"]["ports"]]
    subset = {}
    if ready:
        subset["addresses"] = sorted(ready, key=lambda a: a["ip"])
    if not_ready:
        subset["notReadyAddresses"] = sorted(not_ready, key=lambda a: a["ip"])
    md = c.meta(svc["metadata"]["name"], svc["metadata"]["namespace"], svc["metadata"]["creationTimestamp"] and None,
                labels=svc["metadata"].get("labels"),
                annotations={"endpoints.kubernetes.io/last-change-trigger-time": ts(changed)})
    md["creationTimestamp"] = svc["metadata"]["creationTimestamp"]
    e = {"kind": "Endpoints", "apiVersion": "v1", "metadata": md}
    if subset:
        subset["ports"] = ports
        e["subsets"] = [subset]
    return c.add(svc["metadata"]["namespace"], "endpoints", e)


# ---- events ------------------------------------------------------------------------------------------
def event(c, obj, reason, message, type_="Normal", count=1, first=None, last=None, component="kubelet", host=None,
          field_path=None):
    md = obj["metadata"]
    ns = md.get("namespace", "default")
    first = first or ago(minutes=5)
    last = last or first
    involved = {"kind": obj["kind"], "name": md["name"], "uid": md["uid"], "apiVersion": obj["apiVersion"],
                "resourceVersion": md["resourceVersion"]}
    if md.get("namespace"):
        involved = {"kind": obj["kind"], "namespace": ns, "name": md["name"], "uid": md["uid"],
                    "apiVersion": obj["apiVersion"], "resourceVersion": md["resourceVersion"]}
    if obj["kind"] == "Node":
        involved = {"kind": "Node", "name": md["name"], "uid": md["name"]}
    if field_path:
        involved["fieldPath"] = field_path
    name = "%s.%s" % (md["name"], c.hexs(16))
    src = {"component": component}
    if host:
        src["host"] = host
    e = {"kind": "Event", "apiVersion": "v1",
         "metadata": {"name": name, "namespace": ns, "uid": c.uid(), "resourceVersion": c.next_rv(),
                      "creationTimestamp": ts(first)},
         "involvedObject": involved, "reason": reason, "message": message, "source": src,
         "firstTimestamp": ts(first), "lastTimestamp": ts(last), "count": count, "type": type_,
         "eventTime": None, "reportingComponent": component if component != "kubelet" else "kubelet",
         "reportingInstance": host or ""}
    return c.add(ns, "events", e)

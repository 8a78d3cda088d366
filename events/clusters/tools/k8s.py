"""Builders for Kubernetes API objects as they appear in `kubectl cluster-info dump` output.

Standard library only. Every random choice goes through the Cluster's seeded Random, so the output is
deterministic. Objects mimic what the API server returns (full metadata, defaulted spec fields, status).
"""
import base64
import hashlib
import json
import os
import random
import uuid
from collections import defaultdict
from datetime import datetime, timedelta, timezone

NOW = datetime(2026, 11, 21, 10, 0, 0, tzinfo=timezone.utc)
SAFE = "bcdfghjklmnpqrstvwxz2456789"  # k8s rand.SafeEncodeString alphabet
ACCOUNT = "123456789012"
ECR = ACCOUNT + ".dkr.ecr.eu-west-1.amazonaws.com"


def ts(dt):
    """RFC 3339 second precision, as the API server serialises metav1.Time."""
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def ago(**kw):
    return NOW - timedelta(**kw)


class Cluster:
    """Holds every object of the demo dump and writes it in cluster-info dump layout."""

    def __init__(self, seed):
        self.seed = seed
        self.rng = random.Random(seed)
        self.rv = 48211000
        self.lists = defaultdict(lambda: defaultdict(list))  # ns -> resource file -> items
        self.nodes = []
        self.logs = {}  # (ns, pod) -> [(container, [lines])]
        self.pod_ips = 0

    def reseed(self, key):
        """Give each workload its own random stream, so editing one scenario leaves the others' names intact."""
        self.rng = random.Random("%s:%s" % (self.seed, key))

    # ---- identifiers -------------------------------------------------------------------------------
    def uid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def next_rv(self):
        self.rv += self.rng.randint(3, 900)
        return str(self.rv)

    def safe(self, n):
        return "".join(self.rng.choice(SAFE) for _ in range(n))

    def hexs(self, n):
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

    def container_id(self):
        return "containerd://" + self.hexs(64)

    def pod_ip(self, node):
        self.pod_ips += 1
        subnet = node["metadata"]["labels"]["topology.kubernetes.io/zone"][-1]
        third = {"a": 1, "b": 2, "c": 3}[subnet]
        return "10.0.%d.%d" % (third * 16 + 2 + self.pod_ips // 200, 10 + (self.pod_ips * 37) % 240)

    # ---- metadata ----------------------------------------------------------------------------------
    def meta(self, name, ns=None, created=None, labels=None, annotations=None, owner=None, generation=None,
             generate_name=None, finalizers=None):
        m = {"name": name}
        if generate_name:
            m["generateName"] = generate_name
        if ns:
            m["namespace"] = ns
        m["uid"] = self.uid()
        m["resourceVersion"] = self.next_rv()
        if generation is not None:
            m["generation"] = generation
        m["creationTimestamp"] = ts(created or ago(days=30))
        if labels:
            m["labels"] = dict(labels)
        if annotations:
            m["annotations"] = dict(annotations)
        if owner:
            m["ownerReferences"] = [owner_ref(owner)]
        if finalizers:
            m["finalizers"] = list(finalizers)
        return m

    def add(self, ns, resource, obj):
        self.lists[ns][resource].append(obj)
        return obj

    def add_log(self, ns, pod, container, lines):
        self.logs.setdefault((ns, pod), []).append((container, lines))

    # ---- writing -----------------------------------------------------------------------------------
    def write(self, out):
        os.makedirs(out, exist_ok=True)
        write_list(os.path.join(out, "nodes.json"), "NodeList", "v1", self.nodes, self.next_rv())
        kinds = {
            "events": ("EventList", "v1"), "pods": ("PodList", "v1"),
            "deployments": ("DeploymentList", "apps/v1"), "replicasets": ("ReplicaSetList", "apps/v1"),
            "services": ("ServiceList", "v1"), "daemonsets": ("DaemonSetList", "apps/v1"),
            "replication-controllers": ("ReplicationControllerList", "v1"),
            "endpoints": ("EndpointsList", "v1"), "pvcs": ("PersistentVolumeClaimList", "v1"),
            "configmaps": ("ConfigMapList", "v1"), "secrets": ("SecretList", "v1"),
            "jobs": ("JobList", "batch/v1"), "cronjobs": ("CronJobList", "batch/v1"),
            "statefulsets": ("StatefulSetList", "apps/v1"),
            "horizontalpodautoscalers": ("HorizontalPodAutoscalerList", "autoscaling/v2"),
            "resourcequotas": ("ResourceQuotaList", "v1"),
        }
        always = ["events", "pods", "deployments", "replicasets", "services", "daemonsets",
                  "replication-controllers", "endpoints", "pvcs", "configmaps", "secrets"]
        for ns in sorted(self.lists):
            d = os.path.join(out, ns)
            os.makedirs(d, exist_ok=True)
            res = self.lists[ns]
            for r in sorted(set(always) | set(res)):
                kind, api = kinds[r]
                items = sorted(res.get(r, []), key=lambda o: o["metadata"]["name"])
                write_list(os.path.join(d, r + ".json"), kind, api, items, self.next_rv())
            for pod in res.get("pods", []):
                name = pod["metadata"]["name"]
                pd = os.path.join(d, name)
                os.makedirs(pd, exist_ok=True)
                with open(os.path.join(pd, "logs.txt"), "w", encoding="utf-8", newline="\n") as f:
                    for container, lines in self.logs.get((ns, name), []):
                        f.write("==== START logs for container %s of pod %s/%s ====\n" % (container, ns, name))
                        for line in lines:
                            f.write(line)
                            f.write("\n")
                        f.write("==== END logs for container %s of pod %s/%s ====\n" % (container, ns, name))


def write_list(path, kind, api, items, rv):
    doc = {"kind": kind, "apiVersion": api, "metadata": {"resourceVersion": rv}, "items": items}
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(doc, f, indent=4, ensure_ascii=False)
        f.write("\n")


def owner_ref(obj):
    return {"apiVersion": obj["apiVersion"], "kind": obj["kind"], "name": obj["metadata"]["name"],
            "uid": obj["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True}


def b64(s):
    return base64.b64encode(s.encode()).decode()


def sha256(seed):
    return "sha256:" + hashlib.sha256(seed.encode()).hexdigest()


def image_id(image):
    repo = image.rsplit(":", 1)[0]
    if "/" not in repo:
        repo = "docker.io/library/" + repo
    elif "." not in repo.split("/")[0]:
        repo = "docker.io/" + repo
    return repo + "@" + sha256(image)


# ---- pod spec pieces ---------------------------------------------------------------------------------
def container(name, image, ports=(), env=(), cpu_req="100m", mem_req="128Mi", cpu_lim=None, mem_lim="256Mi",
              readiness=None, liveness=None, startup=None, mounts=(), command=None, args=None, env_from=()):
    c = {"name": name, "image": image}
    if command:
        c["command"] = list(command)
    if args:
        c["args"] = list(args)
    if ports:
        c["ports"] = [{"name": pn, "containerPort": p, "protocol": "TCP"} for pn, p in ports]
    if env_from:
        c["envFrom"] = list(env_from)
    if env:
        c["env"] = list(env)
    res = {"requests": {k: v for k, v in (("cpu", cpu_req), ("memory", mem_req)) if v}}
    lim = {}
    if cpu_lim:
        lim["cpu"] = cpu_lim
    if mem_lim:
        lim["memory"] = mem_lim
    if lim:
        res = {"limits": lim, "requests": res["requests"]}
    c["resources"] = res
    if mounts:
        c["volumeMounts"] = [dict(m) for m in mounts]
    if liveness:
        c["livenessProbe"] = liveness
    if readiness:
        c["readinessProbe"] = readiness
    if startup:
        c["startupProbe"] = startup
    c["terminationMessagePath"] = "/dev/termination-log"
    c["terminationMessagePolicy"] = "File"
    c["imagePullPolicy"] = "Always" if image.endswith(":latest") else "IfNotPresent"
    return c


def http_probe(path, port, initial=10, period=10, failure=3, timeout=1):
    return {"httpGet": {"path": path, "port": port, "scheme": "HTTP"}, "initialDelaySeconds": initial,
            "timeoutSeconds": timeout, "periodSeconds": period, "successThreshold": 1, "failureThreshold": failure}


def tcp_probe(port, initial=15, period=20):
    return {"tcpSocket": {"port": port}, "initialDelaySeconds": initial, "timeoutSeconds": 1,
            "periodSeconds": period, "successThreshold": 1, "failureThreshold": 3}


def exec_probe(cmd, initial=5, period=10):
    return {"exec": {"command": list(cmd)}, "initialDelaySeconds": initial, "timeoutSeconds": 1,
            "periodSeconds": period, "successThreshold": 1, "failureThreshold": 3}


def env(name, value):
    return {"name": name, "value": value}


def env_secret(name, secret, key, optional=None):
    ref = {"name": secret, "key": key}
    if optional is not None:
        ref["optional"] = optional
    return {"name": name, "valueFrom": {"secretKeyRef": ref}}


def env_cm(name, cm, key):
    return {"name": name, "valueFrom": {"configMapKeyRef": {"name": cm, "key": key}}}


def env_field(name, path):
    return {"name": name, "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": path}}}


def pod_spec(containers, volumes=(), init_containers=(), sa="default", node_selector=None, tolerations=None,
             restart="Always", affinity=None, grace=30):
    s = {}
    if volumes:
        s["volumes"] = [dict(v) for v in volumes]
    if init_containers:
        s["initContainers"] = list(init_containers)
    s["containers"] = list(containers)
    s["restartPolicy"] = restart
    s["terminationGracePeriodSeconds"] = grace
    s["dnsPolicy"] = "ClusterFirst"
    if node_selector:
        s["nodeSelector"] = dict(node_selector)
    s["serviceAccountName"] = sa
    s["serviceAccount"] = sa
    s["securityContext"] = {}
    if affinity:
        s["affinity"] = affinity
    s["schedulerName"] = "default-scheduler"
    if tolerations:
        s["tolerations"] = list(tolerations)
    return s


def template(labels, spec, annotations=None):
    md = {"creationTimestamp": None, "labels": dict(labels)}
    if annotations:
        md["annotations"] = dict(annotations)
    return {"metadata": md, "spec": spec}


DEFAULT_TOLERATIONS = [
    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
]


# ---- container statuses ------------------------------------------------------------------------------
def running(started):
    return {"running": {"startedAt": ts(started)}}


def waiting(reason, message=None):
    w = {"reason": reason}
    if message:
        w["message"] = message
    return {"waiting": w}


def terminated(reason, code, started, finished, cid, message=None):
    t = {"exitCode": code, "reason": reason}
    if message:
        t["message"] = message
    t["startedAt"] = ts(started)
    t["finishedAt"] = ts(finished)
    if cid:
        t["containerID"] = cid
    return {"terminated": t}


def cstatus(c, spec, state, ready, restarts=0, last=None, started=None, cid=None, pulled=True):
    image = spec["image"]
    st = {"name": spec["name"], "state": state, "lastState": last or {}, "ready": ready,
          "restartCount": restarts, "image": image, "imageID": image_id(image) if pulled else ""}
    if cid is None and "running" in state:
        cid = c.container_id()
    if cid:
        st["containerID"] = cid
    if started is not None:
        st["started"] = started
    mounts = [{"name": m["name"], "mountPath": m["mountPath"]} | ({"readOnly": True} if m.get("readOnly") else {})
              for m in spec.get("volumeMounts", [])]
    if mounts:
        st["volumeMounts"] = mounts
    return st


def cond(type_, status, when, reason=None, message=None):
    c = {"type": type_, "status": status, "lastProbeTime": None, "lastTransitionTime": ts(when)}
    if reason:
        c["reason"] = reason
    if message:
        c["message"] = message
    return c


def qos(spec):
    cs = spec["containers"]
    lims = [c["resources"].get("limits", {}) for c in cs]
    reqs = [c["resources"].get("requests", {}) for c in cs]
    if all(l.get("cpu") and l.get("memory") and l.get("cpu") == r.get("cpu") and l.get("memory") == r.get("memory")
           for l, r in zip(lims, reqs)):
        return "Guaranteed"
    if any(lims) or any(reqs):
        return "Burstable"
    return "BestEffort"


def parse_mem(q):
    units = {"Ki": 1024, "Mi": 1024 ** 2, "Gi": 1024 ** 3}
    for u, f in units.items():
        if q.endswith(u):
            return int(q[:-2]) * f
    return int(q)

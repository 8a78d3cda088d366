"""Namespace `platform`: log-shipper (healthy DaemonSet), search-indexer (pods evicted from the DiskPressure node),
webhook-relay (Running and ready, partner TLS certificate expired)."""
import copy
from datetime import timedelta

import builders as B
import logs as L
import wl
from k8s import (NOW, ago, container, cstatus, env, env_secret, http_probe, pod_spec, running, template,
                 terminated, ts)
from ns_shop import avail, progressed

NS = "platform"


def build(c, nodes, x):
    c.reseed(NS)
    B.namespace_basics(c, NS, ago(days=262))
    c.reseed(NS + "/log_shipper")
    log_shipper(c, nodes, x)
    c.reseed(NS + "/search_indexer")
    search_indexer(c, nodes, x)
    c.reseed(NS + "/webhook_relay")
    webhook_relay(c, nodes, x)


# ---- log-shipper: healthy DaemonSet ----------------------------------------------------------------------------
DS_TOLERATIONS = [
    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"},
    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"},
    {"key": "node.kubernetes.io/disk-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/memory-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/pid-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"},
]


def log_shipper(c, nodes, x):
    name, ver = "log-shipper", "3.1.9"
    image = "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4"
    ct = container("fluent-bit", image, ports=[("http", 2020)], cpu_req="50m", mem_req="64Mi", mem_lim="200Mi",
                   env=[env("AWS_REGION", "eu-west-1"), env("CLUSTER_NAME", "prod-eu-west-1"),
                        {"name": "HOST_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "spec.nodeName"}}}],
                   liveness=http_probe("/", 2020, 10, 30), readiness=http_probe("/api/v1/health", 2020, 5, 10),
                   mounts=[{"name": "varlog", "mountPath": "/var/log", "readOnly": True},
                           {"name": "config", "mountPath": "/fluent-bit/etc/", "readOnly": True}])
    spec = pod_spec([ct], volumes=[{"name": "varlog", "hostPath": {"path": "/var/log", "type": ""}},
                                   {"name": "config", "configMap": {"name": "log-shipper-config", "defaultMode": 420}}],
                    sa="log-shipper", tolerations=[{"operator": "Exists"}])
    spec["priorityClassName"] = "system-node-critical"
    B.configmap(c, NS, "log-shipper-config", {"fluent-bit.conf": "[SERVICE]\n    Flush 5\n    HTTP_Server On\n"
                                              "[INPUT]\n    Name tail\n    Path /var/log/containers/*.log\n"
                                              "[OUTPUT]\n    Name cloudwatch_logs\n    log_group_name "
                                              "/aws/eks/prod-eu-west-1/containers\n"}, ago(days=200))
    tmpl = template(wl.tmpl_labels(name, "platform", ver), spec)
    rev = c.safe(10)
    ds = {"kind": "DaemonSet", "apiVersion": "apps/v1",
          "metadata": c.meta(name, NS, ago(days=200), labels=wl.labels(name, "platform", ver, "logging"),
                             annotations={"deprecated.daemonset.template.generation": "2"}, generation=2),
          "spec": {"selector": {"matchLabels": {"app.kubernetes.io/name": name}}, "template": tmpl,
                   "updateStrategy": {"type": "RollingUpdate",
                                      "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}},
                   "revisionHistoryLimit": 10},
          "status": {"currentNumberScheduled": 3, "numberMisscheduled": 0, "desiredNumberScheduled": 3,
                     "numberReady": 3, "observedGeneration": 2, "updatedNumberScheduled": 3, "numberAvailable": 3}}
    c.add(NS, "daemonsets", ds)
    for n in nodes:
        t = copy.deepcopy(tmpl)
        t["metadata"]["labels"].update({"controller-revision-hash": rev, "pod-template-generation": "2"})
        t["spec"]["affinity"] = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In",
                                                    "values": [n["metadata"]["name"]]}]}]}}}
        t["spec"]["tolerations"] = [{"operator": "Exists"}] + DS_TOLERATIONS
        created = max(datetime_of(n["metadata"]["creationTimestamp"]) + timedelta(minutes=1), ago(days=19, hours=4))
        p = wl.running_pod(c, NS, {"spec": {"template": t}, "kind": "DaemonSet", "apiVersion": "apps/v1",
                                   "metadata": ds["metadata"]}, n, created, name=name + "-" + c.safe(5))
        c.add_log(NS, p["metadata"]["name"], "fluent-bit", fluentbit_logs(c, ago(hours=3), n))
    x.add(NS, "DaemonSet", name, [], "Healthy: one ready Fluent Bit pod per node (including the DiskPressure node, "
          "which DaemonSet pods tolerate); logs contain harmless '[ warn] ... paused (mem buf overlimit)' lines that "
          "resume seconds later.", healthy=True)


def datetime_of(s):
    from datetime import datetime
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=NOW.tzinfo)


def fluentbit_logs(c, start, node):
    rng = c.rng
    pods = ["web", "orders", "catalog", "frontend", "cart", "redis", "payment-gateway", "ledger", "search-indexer"]
    noise = []
    for t in L.times(rng, start, ago(seconds=4), rng.randint(260, 340)):
        r = rng.random()
        pod = "%s-%s-%s" % (rng.choice(pods), c.safe(10), c.safe(5))
        if r < 0.45:
            noise.append((t, [L.fluentbit(t, "info", "input:tail:tail.0", "inotify_fs_add(): inode=%d watch_fd=%d "
                                          "name=/var/log/containers/%s_shop_app-%s.log"
                                          % (rng.randint(10 ** 7, 10 ** 8), rng.randint(20, 400), pod, c.hexs(64)))]))
        elif r < 0.8:
            noise.append((t, [L.fluentbit(t, "info", "input:tail:tail.0", "inotify_fs_remove(): inode=%d watch_fd=%d"
                                          % (rng.randint(10 ** 7, 10 ** 8), rng.randint(20, 400)))]))
        elif r < 0.93:
            noise.append((t, [L.fluentbit(t, "info", "output:cloudwatch_logs:cloudwatch_logs.0",
                                          "Creating log stream %s.%s in log group /aws/eks/prod-eu-west-1/containers"
                                          % (node["metadata"]["name"], pod))]))
        else:
            noise.append((t, [L.fluentbit(t, " warn", "input", "tail.0 paused (mem buf overlimit)"),
                              L.fluentbit(t + timedelta(seconds=1), "info", "input", "tail.0 resume (mem buf overlimit)")]))
    return L.merge(noise, [])


# ---- search-indexer: two pods evicted from the DiskPressure node ------------------------------------------------
def search_indexer(c, nodes, x):
    name, ver = "search-indexer", "1.12.0"
    h = c.safe(10)
    image = wl.ecr("platform/search-indexer", ver)
    spec = pod_spec([container("indexer", image, ports=[("http", 8080)], cpu_req="500m", cpu_lim="2", mem_req="1Gi",
                               mem_lim="2Gi", env=[env("INDEX_DIR", "/var/lib/indexer"), env("MERGE_FACTOR", "10"),
                                                   env("SOURCE_TOPIC", "catalog.products")],
                               readiness=http_probe("/ready", 8080, 5, 10), liveness=http_probe("/live", 8080, 15, 20),
                               mounts=[{"name": "index", "mountPath": "/var/lib/indexer"}])],
                    volumes=[{"name": "index", "emptyDir": {}}])
    tmpl = template(wl.tmpl_labels(name, "platform", ver), spec)
    rs_name = name + "-" + h
    ev1, ev2 = ago(minutes=44), ago(minutes=41)
    dep = B.deployment(c, NS, name, wl.labels(name, "platform", ver, "search"), tmpl, 3, ago(days=70), 5,
                       B.dep_status(3, 3, 3, 3, [avail(True, ev2 + timedelta(seconds=40), ev2 + timedelta(seconds=40)),
                                                 progressed(rs_name, ago(days=6), ago(days=70))]))
    rs = B.replicaset(c, dep, h, 5, 3, 3, 3, ago(days=6))
    bad = nodes[2]
    host = bad["metadata"]["name"]
    p = wl.running_pod(c, NS, rs, nodes[0], ago(days=6))
    c.add_log(NS, p["metadata"]["name"], "indexer", indexer_logs(c, ago(hours=2, minutes=30), p["metadata"]["name"]))
    for i, ev in enumerate([ev1, ev2]):
        pname = wl.pod_name(c, rs)
        created = ago(days=6, seconds=-20 - 15 * i)
        used = ["12Gi", "9876Mi"][i]
        msg = ("The node was low on resource: ephemeral-storage. Threshold quantity: 8387377Ki, available: %s. "
               "Container indexer was using %s, request is 0, has larger consumption of ephemeral-storage. "
               % (["3354951Ki", "3102230Ki"][i], used))
        ct = tmpl["spec"]["containers"][0]
        cs = cstatus(c, ct, terminated("ContainerStatusUnknown", 137, created + timedelta(seconds=4), ev + timedelta(seconds=31),
                                       None, message="The container could not be located when the pod was terminated"),
                     False, started=False)
        st = created + timedelta(seconds=4)
        conds = [B.cond("DisruptionTarget", "True", ev, "TerminationByKubelet", msg.strip()),
                 B.cond("PodReadyToStartContainers", "False", ev + timedelta(seconds=31)),
                 B.cond("Initialized", "True", created), B.cond("Ready", "False", ev + timedelta(seconds=31), "PodFailed"),
                 B.cond("ContainersReady", "False", ev + timedelta(seconds=31), "PodFailed"),
                 B.cond("PodScheduled", "True", created)]
        ep = B.pod(c, NS, pname, rs, tmpl, bad, created, "Failed", conds, [cs], reason="Evicted", message=msg)
        B.event(c, ep, "Evicted", msg, "Warning", first=ev, host=host)
        B.event(c, ep, "Killing", "Stopping container indexer", first=ev, host=host, field_path="spec.containers{indexer}")
        c.add_log(NS, pname, "indexer", ["unable to retrieve container logs for containerd://" + c.hexs(64)])
        # its replacement
        n = nodes[1 - i]
        rp = wl.running_pod(c, NS, rs, n, ev + timedelta(seconds=1))
        wl.pod_events_started(c, rp, n, ev + timedelta(seconds=1), "indexer", image, pulled=True)
        B.event(c, rs, "SuccessfulCreate", "Created pod: " + rp["metadata"]["name"], first=ev + timedelta(seconds=1),
                component="replicaset-controller")
        c.add_log(NS, rp["metadata"]["name"], "indexer", indexer_logs(c, ev + timedelta(seconds=8),
                                                                      rp["metadata"]["name"], fresh=True))
    x.add(NS, "Deployment", name, [
        x.f("Evicted", False, "indexer", "ephemeral-storage", "Evicted")],
        "Two pods were evicted from %s (DiskPressure) at 09:16 and 09:19; each wrote 10-12Gi of index segments to an "
        "emptyDir without ephemeral-storage request/limit. Replacements run on the other nodes, so the Deployment is "
        "3/3 available; the evicted pods remain in phase Failed. The Evicted finding links to the node's NodeProblem; "
        "remediation: set ephemeral-storage requests/limits or an emptyDir sizeLimit." % host)


def indexer_logs(c, start, host, fresh=False):
    rng = c.rng
    noise, dec = [], []
    if fresh:
        dec.append((start, [L.logfmt(start, "INFO", "starting search-indexer", version="1.12.0", pod=host),
                            L.logfmt(start + timedelta(milliseconds=30), "INFO", "index directory empty, full reindex "
                                     "scheduled", dir="/var/lib/indexer"),
                            L.logfmt(start + timedelta(milliseconds=60), "INFO", "consumer joined group",
                                     topic="catalog.products", group="search-indexer", partitions="0,1,2,3")]))
    seg = rng.randint(100, 900)
    for t in L.times(rng, start + timedelta(seconds=1), ago(seconds=3), rng.randint(380, 480)):
        r = rng.random()
        if r < 0.7:
            noise.append((t, [L.logfmt(t, "INFO", "indexed batch", docs=rng.randint(200, 1000),
                                       took="%dms" % rng.randint(40, 400), lag=rng.randint(0, 5000))]))
        elif r < 0.85:
            seg += 1
            noise.append((t, [L.logfmt(t, "INFO", "segment flushed", segment="_%x" % seg,
                                       size_mb=rng.randint(20, 200))]))
        elif r < 0.97:
            noise.append((t, [L.logfmt(t, "INFO", "merge completed", segments=rng.randint(5, 10),
                                       into="_%x" % (seg + 1), took="%.1fs" % (rng.random() * 20))]))
        else:
            noise.append((t, [L.logfmt(t, "WARN", "consumer lag above threshold", lag=rng.randint(5000, 20000),
                                       threshold=5000)]))
    return L.merge(noise, dec)


# ---- webhook-relay: partner certificate expired -----------------------------------------------------------------
BEARER = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ3ZWJob29rLXJlbGF5IiwiaWF0IjoxNzYzNzE1MjAwfQ."
          "dGhpc2lzbm90YXJlYWxzaWduYXR1cmVfZGVtbw")
X509 = "x509: certificate has expired or is not yet valid"


def webhook_relay(c, nodes, x):
    name, ver = "webhook-relay", "0.14.2"
    h = c.safe(10)
    image = wl.ecr("platform/webhook-relay", ver)
    spec = pod_spec([container("relay", image, ports=[("http", 8080)], cpu_req="100m", mem_req="64Mi", mem_lim="128Mi",
                               env=[env("PARTNERS_CONFIG", "/etc/relay/partners.yaml"),
                                    env_secret("PARTNER_B_TOKEN", "webhook-relay-tokens", "partner-b")],
                               readiness=http_probe("/readyz", 8080, 3, 10), liveness=http_probe("/healthz", 8080, 10, 20),
                               mounts=[{"name": "partners", "mountPath": "/etc/relay", "readOnly": True}])],
                    volumes=[{"name": "partners", "configMap": {"name": "webhook-relay-partners", "defaultMode": 420}}])
    B.secret(c, NS, "webhook-relay-tokens", {"partner-b": BEARER}, ago(days=120))
    B.configmap(c, NS, "webhook-relay-partners", {"partners.yaml": "partners:\n- name: partner-a\n  url: "
                                                  "https://hooks.partner-a.example.com/v1/events\n- name: partner-b\n"
                                                  "  url: https://hooks.partner-b.example.com/ingest\n"}, ago(days=120))
    tmpl = template(wl.tmpl_labels(name, "platform", ver), spec)
    rs_name = name + "-" + h
    dep = B.deployment(c, NS, name, wl.labels(name, "platform", ver, "integration"), tmpl, 2, ago(days=120), 9,
                       B.dep_status(2, 2, 2, 2, [avail(True, ago(days=6), ago(days=6)),
                                                 progressed(rs_name, ago(days=6), ago(days=120))]))
    rs = B.replicaset(c, dep, h, 9, 2, 2, 2, ago(days=6, hours=1))
    pods = []
    for i, n in enumerate([nodes[1], nodes[0]]):
        p = wl.running_pod(c, NS, rs, n, ago(days=6, hours=1, seconds=-30 * i))
        pods.append(p)
        c.add_log(NS, p["metadata"]["name"], "relay", relay_logs(c, ago(hours=3, minutes=10)))
    svc = B.service(c, NS, name, wl.labels(name, "platform", ver, "integration"), {"app.kubernetes.io/name": name},
                    [("http", 80, 8080)], ago(days=120), "10.100.201.4")
    B.endpoints(c, svc, pods, ago(days=6))
    x.add(NS, "Deployment", name, [x.f("AppError", True, "relay", X509, "partner-a")],
          "Pods Running and ready; every delivery to partner-a fails because the partner's TLS certificate expired on "
          "2026-11-20 23:59:59 UTC (Go: 'tls: failed to verify certificate: x509: certificate has expired or is not "
          "yet valid'); partner-b deliveries succeed. Debug lines print a bearer token (redaction test).")


def relay_logs(c, start):
    rng = c.rng
    noise, dec = [], []
    for t in L.times(rng, start, ago(seconds=2), rng.randint(800, 950)):
        r = rng.random()
        ev = "evt_" + c.hexs(16)
        if r < 0.35:
            noise.append((t, [L.logfmt(t, "INFO", "event received", source="orders", type=rng.choice(
                ["order.created", "order.paid", "order.shipped", "refund.created"]), id=ev)]))
        elif r < 0.65:
            noise.append((t, [L.logfmt(t, "INFO", "webhook delivered", partner="partner-b",
                                       url="https://hooks.partner-b.example.com/ingest", status=202,
                                       took="%dms" % rng.randint(40, 300), id=ev)]))
        elif r < 0.72:
            noise.append((t, [L.logfmt(t, "DEBUG", "outgoing request", method="POST",
                                       url="https://hooks.partner-b.example.com/ingest",
                                       headers="Authorization: Bearer %s; Content-Type: application/json" % BEARER)]))
        elif r < 0.97:
            attempt = rng.randint(1, 5)
            err = ('Post "https://hooks.partner-a.example.com/v1/events": tls: failed to verify certificate: %s: '
                   "current time %s is after 2026-11-20T23:59:59Z" % (X509, t.strftime("%Y-%m-%dT%H:%M:%SZ")))
            lines = [L.logfmt(t, "ERROR", "webhook delivery failed", partner="partner-a", id=ev, attempt=attempt,
                              err=err)]
            if attempt < 5:
                lines.append(L.logfmt(t + timedelta(milliseconds=2), "INFO", "delivery scheduled for retry",
                                      partner="partner-a", id=ev, backoff="%ds" % (2 ** attempt)))
            else:
                lines.append(L.logfmt(t + timedelta(milliseconds=2), "WARN", "giving up, moved to dead-letter queue",
                                      partner="partner-a", id=ev, queue="webhook-relay-dlq"))
            noise.append((t, lines))
        else:
            noise.append((t, [L.logfmt(t, "INFO", "dlq stats", depth=rng.randint(300, 2000), oldest="%dh" % rng.randint(8, 11))]))
    return L.merge(noise, dec)

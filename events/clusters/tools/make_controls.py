#!/usr/bin/env python3
"""Generates events/clusters/controls: healthy workloads that look alarming to a naive rule, in the same
`kubectl cluster-info dump` layout and answer-key format as the demo. A correct diagnosis finds no critical problem
and no warning root cause in any of them; bench/diagnosis and HealthyControlsDumpTest count the ones it does.

- shop/fresh: a Deployment created 40 s ago, 0 of 3 available, Progressing=True, pods still starting (one has
  failed a readiness probe once while it boots);
- shop/rolling: an old Deployment in the middle of a rolling update (new pod 50 s old, not ready yet; old pods serve);
- batch/nightly-…: a Job that completed after one retried pod (the first pod exited 1);
- shop/idle: a Deployment scaled to 0;
- shop/api: a pod OOMKilled once, three days ago, running and ready since;
- shop/worker: a Running pod whose log is full of benign "error" and "exception" words.

Deterministic: fixed seed, the demo's "now" (2026-11-21T10:00:00Z), Python 3 standard library only.
Usage: python3 events/clusters/tools/make_controls.py [OUTPUT_DIR]   (default: events/clusters/controls)
"""
import json
import os
import shutil
import sys
from datetime import timedelta

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import builders as B  # noqa: E402
import logs as L  # noqa: E402
import ns_data  # noqa: E402
import wl  # noqa: E402
from k8s import (Cluster, ago, container, cstatus, http_probe, pod_spec, running, template, terminated,  # noqa: E402
                 ts, waiting)
from make_demo import Expected  # noqa: E402
from ns_shop import avail, progressed  # noqa: E402

SEED = 20261206
SHOP = "shop"
BATCH = "batch"


def build():
    c = Cluster(SEED)
    nodes = [
        B.node(c, "ip-10-0-17-201.eu-west-1.compute.internal", "eu-west-1a", "i-0a4f3c2b1d9e87654", "10.0.17.201",
               ago(days=61, hours=3)),
        B.node(c, "ip-10-0-34-118.eu-west-1.compute.internal", "eu-west-1b", "i-0c81d7e5f2a39b410", "10.0.34.118",
               ago(days=61, hours=3, minutes=1)),
    ]
    x = Expected()
    for ns in (SHOP, BATCH):
        c.reseed(ns)
        B.namespace_basics(c, ns, ago(days=200))
    for name, fn in (("fresh", fresh), ("rolling", rolling), ("idle", idle), ("api", api), ("worker", worker),
                     ("nightly", nightly)):
        c.reseed("controls/" + name)
        fn(c, nodes, x)
    return c, x


def app(c, name, ver, mem_lim="512Mi"):
    ct = container(name, wl.ecr("shop/" + name, ver), ports=[("http", 8080)], cpu_req="100m", mem_req="256Mi",
                   mem_lim=mem_lim, readiness=http_probe("/ready", 8080, 5, 5), liveness=http_probe("/live", 8080, 20, 10))
    return ct, template(wl.tmpl_labels(name, "shop", ver), pod_spec([ct]))


def fresh(c, nodes, x):
    """Created 40 s ago: nothing available yet, well within its progress deadline."""
    name, ver = "fresh", "1.0.0"
    ct, tmpl = app(c, name, ver)
    created = ago(seconds=40)
    h = c.safe(10)
    rs_name = name + "-" + h
    dep = B.deployment(c, SHOP, name, wl.labels(name, "shop", ver), tmpl, 3, created, 1,
                       B.dep_status(3, 3, 0, 0, [avail(False, created),
                                                 B.dcond("Progressing", "True", ago(seconds=38), created,
                                                         "ReplicaSetUpdated",
                                                         'ReplicaSet "%s" is progressing.' % rs_name)]))
    rs = B.replicaset(c, dep, h, 1, 3, 0, 0, created)
    for i, n in enumerate([nodes[0], nodes[1], nodes[0]]):
        t = created + timedelta(seconds=1)
        if i == 2:  # still pulling its image
            st = [cstatus(c, ct, waiting("ContainerCreating"), False, pulled=False)]
            p = B.pod(c, SHOP, wl.pod_name(c, rs), rs, tmpl, n, t, "Pending",
                      B.conds_not_ready(t, t, t, [ct["name"]], ready_to_start=False), st)
            host = n["metadata"]["name"]
            B.event(c, p, "Scheduled", "Successfully assigned %s/%s to %s" % (SHOP, p["metadata"]["name"], host),
                    first=t, component="default-scheduler")
            B.event(c, p, "Pulling", 'Pulling image "%s"' % ct["image"], first=t + timedelta(seconds=1), host=host,
                    field_path="spec.containers{%s}" % ct["name"])
            c.add_log(SHOP, p["metadata"]["name"], ct["name"], [])  # not started: nothing logged yet
            continue
        started = t + timedelta(seconds=6)
        p = wl.running_pod(c, SHOP, rs, n, t, ready=False, started=started, ready_at=started)
        wl.pod_events_started(c, p, n, t, ct["name"], ct["image"])
        if i == 0:  # one readiness failure while the app boots
            B.event(c, p, "Unhealthy", "Readiness probe failed: Get \"http://%s:8080/ready\": dial tcp %s:8080: "
                    "connect: connection refused" % (p["status"]["podIP"], p["status"]["podIP"]), "Warning",
                    first=started + timedelta(seconds=5), host=n["metadata"]["name"],
                    field_path="spec.containers{%s}" % ct["name"])
        c.add_log(SHOP, p["metadata"]["name"], ct["name"], boot_log(c, started, name))
    x.add(SHOP, "Deployment", name, [], "Healthy: created 40 s ago, 0/3 available, Progressing=True "
          "(ReplicaSetUpdated), deadline 600 s; one readiness probe failure while booting.", healthy=True)


def rolling(c, nodes, x):
    """A rolling update 50 s in: the new pod boots, the old ones serve."""
    name = "rolling"
    ct_old, tmpl_old = app(c, name, "2.3.0")
    ct, tmpl = app(c, name, "2.4.0")
    h_old, h = c.safe(10), c.safe(10)
    rs_name = name + "-" + h
    started_at = ago(seconds=50)
    dep = B.deployment(c, SHOP, name, wl.labels(name, "shop", "2.4.0"), tmpl, 3, ago(days=90), 12,
                       B.dep_status(4, 1, 3, 3, [avail(True, ago(days=20)),
                                                 B.dcond("Progressing", "True", started_at, ago(days=90),
                                                         "ReplicaSetUpdated",
                                                         'ReplicaSet "%s" is progressing.' % rs_name)]))
    old = B.replicaset(c, dep, h_old, 11, 3, 3, 3, ago(days=20), tmpl_old)
    new = B.replicaset(c, dep, h, 12, 1, 0, 0, started_at)
    pods = []
    for i, n in enumerate([nodes[0], nodes[1], nodes[0]]):
        p = wl.running_pod(c, SHOP, old, n, ago(days=20, seconds=-15 * i))
        pods.append(p)
        c.add_log(SHOP, p["metadata"]["name"], ct_old["name"], serve_log(c, ago(minutes=30), name))
    t = started_at + timedelta(seconds=1)
    p = wl.running_pod(c, SHOP, new, nodes[1], t, ready=False, started=t + timedelta(seconds=5))
    wl.pod_events_started(c, p, nodes[1], t, ct["name"], ct["image"])
    c.add_log(SHOP, p["metadata"]["name"], ct["name"], boot_log(c, t + timedelta(seconds=5), name))
    pods.append(p)
    svc = B.service(c, SHOP, name, wl.labels(name, "shop", "2.4.0"), {"app.kubernetes.io/name": name},
                    [("http", 80, 8080)], ago(days=90), "10.100.70.12")
    B.endpoints(c, svc, pods, started_at)
    x.add(SHOP, "Deployment", name, [], "Healthy: rolling update to 2.4.0 started 50 s ago; the new pod boots, "
          "3 old pods serve (3 ready endpoints).", healthy=True)


def idle(c, nodes, x):
    name, ver = "idle", "0.9.1"
    _, tmpl = app(c, name, ver)
    h = c.safe(10)
    dep = B.deployment(c, SHOP, name, wl.labels(name, "shop", ver), tmpl, 0, ago(days=45), 3,
                       B.dep_status(0, 0, 0, 0, [avail(True, ago(days=10)),
                                                 progressed(name + "-" + h, ago(days=10), ago(days=45))]))
    B.replicaset(c, dep, h, 3, 0, 0, 0, ago(days=12))
    x.add(SHOP, "Deployment", name, [], "Healthy: scaled to 0 ten days ago (no pods, no endpoints wanted).",
          healthy=True)


def api(c, nodes, x):
    """OOMKilled once, three days ago; running and ready since."""
    name, ver = "api", "3.1.4"
    ct, tmpl = app(c, name, ver, mem_lim="1Gi")
    h = c.safe(10)
    dep = B.deployment(c, SHOP, name, wl.labels(name, "shop", ver), tmpl, 1, ago(days=30), 4,
                       B.dep_status(1, 1, 1, 1, [avail(True, ago(days=3)),
                                                 progressed(name + "-" + h, ago(days=6), ago(days=30))]))
    rs = B.replicaset(c, dep, h, 4, 1, 1, 1, ago(days=6))
    created = ago(days=6)
    killed = ago(days=3)
    last = terminated("OOMKilled", 137, created + timedelta(seconds=8), killed, c.container_id())
    tmpl_pod = rs["spec"]["template"]
    st = [cstatus(c, ct, running(killed + timedelta(seconds=2)), True, restarts=1, last=last, started=True)]
    p = B.pod(c, SHOP, wl.pod_name(c, rs), rs, tmpl_pod, nodes[0], created, "Running",
              B.conds_ready(created, killed + timedelta(seconds=2), killed + timedelta(seconds=20)), st)
    c.add_log(SHOP, p["metadata"]["name"], ct["name"], serve_log(c, ago(hours=1), name))
    svc = B.service(c, SHOP, name, wl.labels(name, "shop", ver), {"app.kubernetes.io/name": name},
                    [("http", 80, 8080)], ago(days=30), "10.100.70.40")
    B.endpoints(c, svc, [p], killed + timedelta(seconds=20))
    x.add(SHOP, "Deployment", name, [], "Healthy: OOMKilled once three days ago (1 restart), running and ready "
          "since; no memory trouble after.", healthy=True)


def worker(c, nodes, x):
    """A log full of benign "error" and "exception" words."""
    name, ver = "worker", "5.0.2"
    ct, tmpl = app(c, name, ver)
    h = c.safe(10)
    dep = B.deployment(c, SHOP, name, wl.labels(name, "shop", ver), tmpl, 1, ago(days=15), 2,
                       B.dep_status(1, 1, 1, 1, [avail(True, ago(days=2)),
                                                 progressed(name + "-" + h, ago(days=2), ago(days=15))]))
    rs = B.replicaset(c, dep, h, 2, 1, 1, 1, ago(days=2))
    p = wl.running_pod(c, SHOP, rs, nodes[1], ago(days=2))
    rng = c.rng
    benign = [
        ("INFO", "batch done: 0 errors, %d records"),
        ("DEBUG", "exception handler registered for /api/v1/jobs (%d routes)"),
        ("INFO", "error rate 0.0%% over the last minute (%d requests)"),
        ("INFO", "no errors found in %d files"),
        ("INFO", "ErrorReportingService started, queue size %d"),
        ("DEBUG", "retry budget: %d tokens, 0 failures"),
        ("INFO", "processed %d messages, failed=0"),
    ]
    noise = []
    for t in L.times(rng, ago(hours=2), ago(seconds=10), 600):
        level, msg = rng.choice(benign)
        noise.append((t, [L.py_line(t, level, "worker.main", msg % rng.randint(1, 5000))]))
    decisive = []
    t = ago(minutes=41)
    decisive.append((t, [L.py_line(t, "WARNING", "worker.http", "retrying POST http://payments.shop.svc:8080/api/v1/"
                                   "settle after 503 (attempt 1/3)")]))
    t = t + timedelta(seconds=2)
    decisive.append((t, [L.py_line(t, "INFO", "worker.http", "POST http://payments.shop.svc:8080/api/v1/settle -> 200 "
                                   "(attempt 2/3)")]))
    c.add_log(SHOP, p["metadata"]["name"], ct["name"], L.merge(noise, decisive))
    x.add(SHOP, "Deployment", name, [], "Healthy: running and ready; its log says 'error' and 'exception' in "
          "benign lines (0 errors, handler registered, error rate 0.0%) and one retried request that succeeded.",
          healthy=True)


def nightly(c, nodes, x):
    """A Job that succeeded after its first pod failed."""
    name, ver = "nightly", "1.2.0"
    ct = container("export", wl.ecr("batch/nightly", ver), cpu_req="200m", mem_req="256Mi", mem_lim="512Mi",
                   command=["python", "-m", "export"])
    spec = pod_spec([ct], restart="Never")
    cj = {"kind": "CronJob", "apiVersion": "batch/v1",
          "metadata": c.meta(name, BATCH, ago(days=60), labels=wl.labels(name, "batch", ver, "batch"), generation=1),
          "spec": {"schedule": "30 9 * * *", "timeZone": "Etc/UTC", "concurrencyPolicy": "Forbid", "suspend": False,
                   "jobTemplate": {"metadata": {"creationTimestamp": None},
                                   "spec": {"backoffLimit": 3, "template": {
                                       "metadata": {"creationTimestamp": None,
                                                    "labels": wl.tmpl_labels(name, "batch", ver)},
                                       "spec": spec}}},
                   "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1},
          "status": {"lastScheduleTime": ts(ago(minutes=30)), "lastSuccessfulTime": ts(ago(minutes=24))}}
    c.add(BATCH, "cronjobs", cj)
    at = ago(minutes=30)
    j, pods = ns_data.job(c, cj, at, spec, ct, [("Error", 1, 12), ("Completed", 0, 300)], succeeded=True, ns=BATCH)
    j["status"]["failed"] = 1
    first, second = pods
    c.add_log(BATCH, first["metadata"]["name"], ct["name"], [
        L.py_line(at + timedelta(seconds=4), "INFO", "export", "export started"),
        L.py_line(at + timedelta(seconds=16), "ERROR", "export",
                  "upload of part 1 failed: connection reset by peer; exiting for a retry")])
    c.add_log(BATCH, second["metadata"]["name"], ct["name"], [
        L.py_line(at + timedelta(seconds=40), "INFO", "export", "export started"),
        L.py_line(at + timedelta(minutes=6), "INFO", "export", "export done: 48211 rows, 0 errors")])
    x.add(BATCH, "Job", j["metadata"]["name"], [], "Healthy: completed (1 succeeded) after one retried pod that "
          "exited 1 (connection reset); backoffLimit 3.", healthy=True)


def boot_log(c, started, name):
    return [L.py_line(started + timedelta(seconds=1), "INFO", name, "starting %s on :8080" % name),
            L.py_line(started + timedelta(seconds=3), "INFO", name, "warming caches")]


def serve_log(c, start, name):
    rng = c.rng
    return [L.py_line(t, "INFO", name, "GET /api/v1/items/%d -> 200 (%d ms)" % (rng.randint(1, 9999), rng.randint(2, 40)))
            for t in L.times(rng, start, ago(seconds=20), 120)]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "controls"))
    c, x = build()
    if os.path.isdir(out):
        shutil.rmtree(out)
    c.write(out)
    doc = {"description": "Answer key for events/clusters/controls (generated by tools/make_controls.py): healthy "
                          "workloads that look alarming to a naive rule. Each must yield no critical finding and no "
                          "warning root cause. Same format as demo.expected.json.",
           "now": ts(ago()), "workloads": x.workloads, "items": []}
    with open(out.rstrip(os.sep) + ".expected.json", "w", encoding="utf-8", newline="\n") as f:
        json.dump(doc, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print("wrote %s (%d namespaces, %d workloads in the answer key)" % (out, len(c.lists), len(x.workloads)))


if __name__ == "__main__":
    main()

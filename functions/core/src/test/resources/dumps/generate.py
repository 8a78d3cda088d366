#!/usr/bin/env python3
"""Writes the small cluster-dump fixtures used by the diagnosis tests (kubectl cluster-info dump layout).

Run from this directory: python3 generate.py. The JSON it writes is committed; edit this script, not the JSON.
"""
import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
T = "2026-11-21T10:00:00Z"      # "now" in every fixture
T_OLD = "2026-11-18T08:00:00Z"  # three days earlier


def meta(name, ns=None, labels=None, owner=None, **extra):
    m = {"name": name}
    if ns:
        m["namespace"] = ns
    if labels:
        m["labels"] = labels
    if owner:
        kind, oname = owner
        m["ownerReferences"] = [{"apiVersion": "apps/v1" if kind in ("ReplicaSet", "Deployment", "StatefulSet", "DaemonSet") else "batch/v1",
                                 "kind": kind, "name": oname, "uid": "uid-" + oname, "controller": True}]
    m.update(extra)
    return m


def container(name, image, limits=None, requests=None, env=None, env_from=None, readiness=None, liveness=None, ports=None,
              command=None):
    c = {"name": name, "image": image}
    res = {}
    if limits:
        res["limits"] = limits
    if requests:
        res["requests"] = requests
    if res:
        c["resources"] = res
    if env:
        c["env"] = env
    if env_from:
        c["envFrom"] = env_from
    if readiness:
        c["readinessProbe"] = readiness
    if liveness:
        c["livenessProbe"] = liveness
    if ports:
        c["ports"] = [{"containerPort": p, "protocol": "TCP"} for p in ports]
    if command:
        c["command"] = command
    return c


def http_probe(path, port, period=10, failure=3):
    return {"httpGet": {"path": path, "port": port, "scheme": "HTTP"}, "periodSeconds": period, "failureThreshold": failure}


def terminated(reason, code, finished=T, started=None):
    t = {"reason": reason, "exitCode": code, "finishedAt": finished}
    t["startedAt"] = started or finished
    return t


def cstatus(name, image, running=None, waiting=None, term=None, last=None, ready=False, restarts=0):
    state = {}
    if running:
        state["running"] = {"startedAt": running}
    if waiting:
        state["waiting"] = {"reason": waiting[0], "message": waiting[1]} if waiting[1] else {"reason": waiting[0]}
    if term:
        state["terminated"] = term
    s = {"name": name, "image": image, "imageID": "", "ready": ready, "restartCount": restarts, "started": bool(running),
         "state": state, "lastState": {"terminated": last} if last else {}}
    return s


def cond(type_, status, reason=None, message=None, at=T):
    c = {"type": type_, "status": status, "lastTransitionTime": at}
    if reason:
        c["reason"] = reason
    if message:
        c["message"] = message
    return c


def pod_conditions(ready, scheduled=True, initialized=True):
    return [cond("Initialized", "True" if initialized else "False"),
            cond("Ready", "True" if ready else "False", None if ready else "ContainersNotReady"),
            cond("ContainersReady", "True" if ready else "False"),
            cond("PodScheduled", "True" if scheduled else "False")]


def pod(name, ns, labels, containers, statuses, owner=None, phase="Running", node="node-a", ready=None, conditions=None,
        init=None, init_statuses=None, volumes=None, node_selector=None, restart_policy="Always", reason=None, message=None):
    spec = {"containers": containers, "restartPolicy": restart_policy, "serviceAccountName": "default"}
    if node:
        spec["nodeName"] = node
    if init:
        spec["initContainers"] = init
    if volumes:
        spec["volumes"] = volumes
    if node_selector:
        spec["nodeSelector"] = node_selector
    if ready is None:
        ready = all(s.get("ready") for s in statuses) if statuses else False
    st = {"phase": phase, "containerStatuses": statuses,
          "conditions": conditions if conditions is not None else pod_conditions(ready)}
    if init_statuses:
        st["initContainerStatuses"] = init_statuses
    if reason:
        st["reason"] = reason
    if message:
        st["message"] = message
    return {"kind": "Pod", "apiVersion": "v1", "metadata": meta(name, ns, labels, owner), "spec": spec, "status": st}


def deployment(name, ns, labels, replicas, available, containers, conditions=None, updated=None):
    return {"kind": "Deployment", "apiVersion": "apps/v1", "metadata": meta(name, ns, labels),
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels}, "spec": {"containers": containers}}},
            "status": {"replicas": replicas, "updatedReplicas": replicas if updated is None else updated,
                       "readyReplicas": available, "availableReplicas": available,
                       **({"unavailableReplicas": replicas - available} if available < replicas else {}),
                       "conditions": conditions or [cond("Available", "True" if available >= replicas else "False",
                                                         "MinimumReplicasAvailable" if available >= replicas else "MinimumReplicasUnavailable"),
                                                    cond("Progressing", "True", "NewReplicaSetAvailable")]}}


def replicaset(name, ns, labels, hash_, deployment_name, replicas, ready):
    l = dict(labels, **{"pod-template-hash": hash_})
    return {"kind": "ReplicaSet", "apiVersion": "apps/v1", "metadata": meta(name, ns, l, ("Deployment", deployment_name)),
            "spec": {"replicas": replicas, "selector": {"matchLabels": l}},
            "status": {"replicas": replicas, "readyReplicas": ready, "availableReplicas": ready}}


def service(name, ns, selector, port=80, target=8080):
    return {"kind": "Service", "apiVersion": "v1", "metadata": meta(name, ns),
            "spec": {"type": "ClusterIP", "selector": selector, "ports": [{"port": port, "targetPort": target}]}}


def endpoints(name, ns, ready_ips=(), not_ready_ips=()):
    subset = {"ports": [{"port": 8080}]}
    if ready_ips:
        subset["addresses"] = [{"ip": ip} for ip in ready_ips]
    if not_ready_ips:
        subset["notReadyAddresses"] = [{"ip": ip} for ip in not_ready_ips]
    return {"kind": "Endpoints", "apiVersion": "v1", "metadata": meta(name, ns),
            "subsets": [subset] if (ready_ips or not_ready_ips) else []}


_event_n = [0]


def event(ns, kind, name, reason, message, type_="Warning", count=1, last=T, field_path=None, first=None):
    _event_n[0] += 1
    io = {"kind": kind, "name": name}
    if ns:
        io["namespace"] = ns
    if field_path:
        io["fieldPath"] = field_path
    return {"kind": "Event", "apiVersion": "v1",
            "metadata": meta("%s.%x" % (name, 0x1000 + _event_n[0]), ns or "default"),
            "involvedObject": io, "reason": reason, "message": message, "type": type_, "count": count,
            "firstTimestamp": first or last, "lastTimestamp": last, "source": {"component": "kubelet"}}


def node(name, labels=None, ready=True, pressure=(), unschedulable=False, taints=None, ready_reason=None, ready_message=None):
    conds = []
    for t in ("MemoryPressure", "DiskPressure", "PIDPressure"):
        on = t in pressure
        conds.append(cond(t, "True" if on else "False", ("KubeletHas" + t.replace("Pressure", "") + "Pressure") if on
                          else "KubeletHasSufficient" + t.replace("Pressure", ""),
                          ("kubelet has " + t.replace("Pressure", " pressure").lower()) if on else None))
    if ready:
        conds.append(cond("Ready", "True", "KubeletReady", "kubelet is posting ready status"))
    else:
        conds.append(cond("Ready", "Unknown" if ready_reason == "NodeStatusUnknown" else "False",
                          ready_reason or "KubeletNotReady", ready_message or "container runtime network not ready"))
    spec = {}
    if unschedulable:
        spec["unschedulable"] = True
    if taints:
        spec["taints"] = taints
    return {"kind": "Node", "apiVersion": "v1",
            "metadata": meta(name, labels=dict({"kubernetes.io/hostname": name, "kubernetes.io/os": "linux"}, **(labels or {}))),
            "spec": spec, "status": {"conditions": conds,
                                     "allocatable": {"cpu": "2", "memory": "7Gi", "pods": "29"}}}


def write_list(root, ns, fname, kind, items):
    d = os.path.join(root, ns) if ns else root
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, fname), "w") as f:
        json.dump({"kind": kind + "List", "apiVersion": "v1", "metadata": {}, "items": items}, f, indent=1)
        f.write("\n")


def write_logs(root, ns, pod_name, containers):
    d = os.path.join(root, ns, pod_name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "logs.txt"), "w") as f:
        for c, lines in containers:
            f.write("==== START logs for container %s of pod %s/%s ====\n" % (c, ns, pod_name))
            for line in lines:
                f.write(line + "\n")
            f.write("==== END logs for container %s of pod %s/%s ====\n" % (c, ns, pod_name))


def noise(app, n, start=0):
    out = []
    for i in range(start, start + n):
        sec = i % 60
        if i % 7 == 3:
            out.append("2026-11-21T09:5%d:%02d.120Z DEBUG [%s] cache refresh took %d ms" % (i % 10, sec, app, 3 + i % 17))
        else:
            out.append("2026-11-21T09:5%d:%02d.100Z INFO  [%s] GET /api/items/%d 200 %dms" % (i % 10, sec, app, i, 5 + i % 40))
    return out


def reset(name):
    root = os.path.join(HERE, name)
    if os.path.isdir(root):
        shutil.rmtree(root)
    os.makedirs(root)
    return root


# ----------------------------------------------------------------------------------------------- workloads dump

def workloads():
    root = reset("workloads")
    write_list(root, None, "nodes.json", "Node", [node("node-a"), node("node-b")])

    # shop: OOMKilled checkout (rollout stuck, service without endpoints), readiness chain on web,
    #       missing secret (orders), missing ConfigMap key (billing), HPA at max (search)
    ns = "shop"
    pods, deps, rss, svcs, eps, evs, secrets, cms = [], [], [], [], [], [], [], []
    app = container("app", "shop/checkout:2.3.1", limits={"memory": "128Mi"}, requests={"memory": "128Mi", "cpu": "100m"},
                    ports=[8080])
    deps.append(deployment("checkout", ns, {"app": "checkout"}, 2, 0, [app], conditions=[
        cond("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability."),
        cond("Progressing", "False", "ProgressDeadlineExceeded", 'ReplicaSet "checkout-6d4b9c7f8" has timed out progressing.')]))
    rss.append(replicaset("checkout-6d4b9c7f8", ns, {"app": "checkout"}, "6d4b9c7f8", "checkout", 2, 0))
    for name, restarts in (("checkout-6d4b9c7f8-k2x9p", 6), ("checkout-6d4b9c7f8-q7w4m", 5)):
        pods.append(pod(name, ns, {"app": "checkout", "pod-template-hash": "6d4b9c7f8"}, [app], [
            cstatus("app", "shop/checkout:2.3.1", waiting=("CrashLoopBackOff", "back-off 5m0s restarting failed container=app pod=" + name),
                    last=terminated("OOMKilled", 137, "2026-11-21T09:58:10Z", "2026-11-21T09:57:40Z"), restarts=restarts)],
            owner=("ReplicaSet", "checkout-6d4b9c7f8")))
        evs.append(event(ns, "Pod", name, "BackOff", "Back-off restarting failed container app in pod " + name + "_shop(uid)",
                         count=40, field_path="spec.containers{app}"))
        write_logs(root, ns, name, [("app", noise("checkout", 40) + [
            "2026-11-21T09:58:09.900Z INFO  [checkout] loading price catalogue (1200000 entries)"])])
    svcs.append(service("checkout", ns, {"app": "checkout"}))
    eps.append(endpoints("checkout", ns, not_ready_ips=("10.0.1.11", "10.0.1.12")))

    web = container("web", "shop/web:1.8.0", readiness=http_probe("/ready", 8080), ports=[8080])
    deps.append(deployment("web", ns, {"app": "web"}, 2, 0, [web]))
    rss.append(replicaset("web-7f9c8d6b5", ns, {"app": "web"}, "7f9c8d6b5", "web", 2, 0))
    for name in ("web-7f9c8d6b5-abcde", "web-7f9c8d6b5-fghij"):
        pods.append(pod(name, ns, {"app": "web", "pod-template-hash": "7f9c8d6b5"}, [web], [
            cstatus("web", "shop/web:1.8.0", running="2026-11-21T09:20:00Z", ready=False)], owner=("ReplicaSet", "web-7f9c8d6b5")))
        evs.append(event(ns, "Pod", name, "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503",
                         count=120, field_path="spec.containers{web}"))
        lines = noise("web", 25)
        for i in range(5):
            lines.append("2026-11-21T09:59:%02d.000Z ERROR [web] health check: catalogue backend unavailable: "
                         "dial tcp 10.100.3.7:5432: connect: connection refused" % (i * 10))
            lines += noise("web", 3, 100 + i * 3)
        write_logs(root, ns, name, [("web", lines)])
    svcs.append(service("web", ns, {"app": "web"}))
    eps.append(endpoints("web", ns, not_ready_ips=("10.0.1.21", "10.0.1.22")))

    orders = container("orders", "shop/orders:3.0.0", env=[
        {"name": "DB_HOST", "value": "db.shop.svc"},
        {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "orders-db", "key": "password"}}}])
    deps.append(deployment("orders", ns, {"app": "orders"}, 1, 0, [orders]))
    rss.append(replicaset("orders-5b7d8c9f4", ns, {"app": "orders"}, "5b7d8c9f4", "orders", 1, 0))
    pods.append(pod("orders-5b7d8c9f4-zz9kq", ns, {"app": "orders", "pod-template-hash": "5b7d8c9f4"}, [orders], [
        cstatus("orders", "shop/orders:3.0.0", waiting=("CreateContainerConfigError", 'secret "orders-db" not found'))],
        owner=("ReplicaSet", "orders-5b7d8c9f4")))
    evs.append(event(ns, "Pod", "orders-5b7d8c9f4-zz9kq", "Failed", 'Error: secret "orders-db" not found', count=14,
                     field_path="spec.containers{orders}"))
    secrets.append({"kind": "Secret", "apiVersion": "v1", "metadata": meta("orders-db-v2", ns), "type": "Opaque",
                    "data": {"password": "c3VwZXJzZWNyZXQ="}})

    billing = container("billing", "shop/billing:1.1.0", env=[
        {"name": "RATE_LIMIT", "valueFrom": {"configMapKeyRef": {"name": "billing-config", "key": "RATE_LIMIT"}}}])
    deps.append(deployment("billing", ns, {"app": "billing"}, 1, 0, [billing]))
    rss.append(replicaset("billing-6f5c4d3b2", ns, {"app": "billing"}, "6f5c4d3b2", "billing", 1, 0))
    pods.append(pod("billing-6f5c4d3b2-r8t7y", ns, {"app": "billing", "pod-template-hash": "6f5c4d3b2"}, [billing], [
        cstatus("billing", "shop/billing:1.1.0", waiting=("CreateContainerConfigError",
                                                         "couldn't find key RATE_LIMIT in ConfigMap shop/billing-config"))],
        owner=("ReplicaSet", "billing-6f5c4d3b2")))
    cms.append({"kind": "ConfigMap", "apiVersion": "v1", "metadata": meta("billing-config", ns),
                "data": {"RATE_LIMTI": "100", "CURRENCY": "EUR"}})

    search = container("search", "shop/search:5.2.0", requests={"cpu": "500m"})
    deps.append(deployment("search", ns, {"app": "search"}, 5, 5, [search]))
    hpas = [{"kind": "HorizontalPodAutoscaler", "apiVersion": "autoscaling/v2", "metadata": meta("search", ns),
             "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "search"},
                      "minReplicas": 2, "maxReplicas": 5,
                      "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}]},
             "status": {"currentReplicas": 5, "desiredReplicas": 5,
                        "currentMetrics": [{"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": 180, "averageValue": "900m"}}}],
                        "conditions": [cond("AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size"),
                                       cond("ScalingActive", "True", "ValidMetricFound", "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)"),
                                       cond("ScalingLimited", "True", "TooManyReplicas", "the desired replica count is more than the maximum replica count")]}}]
    evs.append(event(ns, "Deployment", "checkout", "ScalingReplicaSet", "Scaled up replica set checkout-6d4b9c7f8 to 2", type_="Normal"))
    write_list(root, ns, "pods.json", "Pod", pods)
    write_list(root, ns, "deployments.json", "Deployment", deps)
    write_list(root, ns, "replicasets.json", "ReplicaSet", rss)
    write_list(root, ns, "services.json", "Service", svcs)
    write_list(root, ns, "endpoints.json", "Endpoints", eps)
    write_list(root, ns, "events.json", "Event", evs)
    write_list(root, ns, "secrets.json", "Secret", secrets)
    write_list(root, ns, "configmaps.json", "ConfigMap", cms)
    write_list(root, ns, "horizontalpodautoscalers.json", "HorizontalPodAutoscaler", hpas)

    # app: crash loop explained by its last log line (api), failing init container (worker), liveness kill (cache)
    ns = "app"
    pods, deps, rss, evs = [], [], [], []
    api = container("api", "app/api:1.4.2", ports=[8080])
    deps.append(deployment("api", ns, {"app": "api"}, 1, 0, [api]))
    rss.append(replicaset("api-6c9f7b8d5", ns, {"app": "api"}, "6c9f7b8d5", "api", 1, 0))
    pods.append(pod("api-6c9f7b8d5-x2x4z", ns, {"app": "api", "pod-template-hash": "6c9f7b8d5"}, [api], [
        cstatus("api", "app/api:1.4.2", waiting=("CrashLoopBackOff", "back-off 5m0s restarting failed container=api"),
                last=terminated("Error", 1, "2026-11-21T09:59:30Z", "2026-11-21T09:59:28Z"), restarts=9)],
        owner=("ReplicaSet", "api-6c9f7b8d5")))
    evs.append(event(ns, "Pod", "api-6c9f7b8d5-x2x4z", "BackOff", "Back-off restarting failed container api in pod api-6c9f7b8d5-x2x4z_app(uid)",
                     count=44, field_path="spec.containers{api}"))
    write_logs(root, ns, "api-6c9f7b8d5-x2x4z", [("api", [
        "2026-11-21T09:59:28.001Z INFO  starting api v1.4.2 (commit 9f3c2e1)",
        "2026-11-21T09:59:28.010Z INFO  loading configuration from environment",
        "2026-11-21T09:59:28.011Z DEBUG config keys present: PORT, LOG_LEVEL, DB_HOST",
        "2026-11-21T09:59:28.012Z WARN  LOG_FORMAT not set, using text",
        "Error: Environment variable DEPLOY_ENV is undefined",
        ""])])

    migrate = container("migrate", "app/worker:2.0.1", command=["/app/migrate"])
    worker = container("worker", "app/worker:2.0.1")
    deps.append(deployment("worker", ns, {"app": "worker"}, 1, 0, [worker]))
    rss.append(replicaset("worker-7d8f9c6b4", ns, {"app": "worker"}, "7d8f9c6b4", "worker", 1, 0))
    pods.append(pod("worker-7d8f9c6b4-p4k2m", ns, {"app": "worker", "pod-template-hash": "7d8f9c6b4"}, [worker], [
        cstatus("worker", "app/worker:2.0.1", waiting=("PodInitializing", None))], owner=("ReplicaSet", "worker-7d8f9c6b4"),
        phase="Pending", init=[migrate], init_statuses=[
            cstatus("migrate", "app/worker:2.0.1", waiting=("CrashLoopBackOff", "back-off 2m40s restarting failed container=migrate"),
                    last=terminated("Error", 1, "2026-11-21T09:57:00Z"), restarts=4)],
        conditions=pod_conditions(False, initialized=False)))
    write_logs(root, ns, "worker-7d8f9c6b4-p4k2m", [("migrate", [
        "Running migrations against postgres at db.app.svc:5432",
        "applying 0042_add_user_index.sql",
        'ERROR: relation "users_email_idx" already exists',
        "migration 0042 failed, rolling back"]), ("worker", [])])

    redis = container("redis", "redis:7.2", ports=[6379],
                      liveness={"tcpSocket": {"port": 6380}, "periodSeconds": 5, "failureThreshold": 3})
    deps.append(deployment("cache", ns, {"app": "cache"}, 1, 0, [redis]))
    rss.append(replicaset("cache-5f6d7c8b9", ns, {"app": "cache"}, "5f6d7c8b9", "cache", 1, 0))
    pods.append(pod("cache-5f6d7c8b9-m3n4p", ns, {"app": "cache", "pod-template-hash": "5f6d7c8b9"}, [redis], [
        cstatus("redis", "redis:7.2", waiting=("CrashLoopBackOff", "back-off 5m0s restarting failed container=redis"),
                last=terminated("Error", 137, "2026-11-21T09:59:00Z"), restarts=7)], owner=("ReplicaSet", "cache-5f6d7c8b9")))
    evs.append(event(ns, "Pod", "cache-5f6d7c8b9-m3n4p", "Unhealthy",
                     "Liveness probe failed: dial tcp 10.0.3.4:6380: connect: connection refused", count=21,
                     field_path="spec.containers{redis}"))
    evs.append(event(ns, "Pod", "cache-5f6d7c8b9-m3n4p", "Killing", "Container redis failed liveness probe, will be restarted",
                     type_="Normal", count=7, field_path="spec.containers{redis}"))
    write_logs(root, ns, "cache-5f6d7c8b9-m3n4p", [("redis", [
        "1:C 21 Nov 2026 09:58:45.001 * Redis version=7.2.4, bits=64, commit=00000000, modified=0, pid=1, just started",
        "1:M 21 Nov 2026 09:58:45.003 * Running mode=standalone, port=6379.",
        "1:M 21 Nov 2026 09:58:45.004 * Ready to accept connections tcp"])])

    status = container("status", "app/status:1.0.0")
    deps.append(deployment("status", ns, {"app": "status"}, 1, 1, [status]))
    rss.append(replicaset("status-54d8b7c6f", ns, {"app": "status"}, "54d8b7c6f", "status", 1, 1))
    pods.append(pod("status-54d8b7c6f-aaaaa", ns, {"app": "status", "pod-template-hash": "54d8b7c6f"}, [status], [
        cstatus("status", "app/status:1.0.0", running="2026-11-20T10:00:00Z", ready=True)], owner=("ReplicaSet", "status-54d8b7c6f")))
    write_list(root, ns, "pods.json", "Pod", pods)
    write_list(root, ns, "deployments.json", "Deployment", deps)
    write_list(root, ns, "replicasets.json", "ReplicaSet", rss)
    write_list(root, ns, "events.json", "Event", evs)

    # web: image that does not exist (frontend), Service selector that matches no pod (storefront)
    ns = "web"
    img = "registry.example.com/web/frontend:v9.9.9"
    fe = container("frontend", img)
    sf = container("storefront", "web/storefront:4.1.0")
    not_found = ('Failed to pull image "%s": rpc error: code = NotFound desc = failed to pull and unpack image "%s": '
                 'failed to resolve reference "%s": %s: not found' % (img, img, img, img))
    write_list(root, ns, "deployments.json", "Deployment", [
        deployment("frontend", ns, {"app": "frontend"}, 1, 0, [fe]),
        deployment("storefront", ns, {"app": "storefront"}, 1, 1, [sf])])
    write_list(root, ns, "replicasets.json", "ReplicaSet", [
        replicaset("frontend-8c7b6a5d4", ns, {"app": "frontend"}, "8c7b6a5d4", "frontend", 1, 0),
        replicaset("storefront-9d8c7b6a5", ns, {"app": "storefront"}, "9d8c7b6a5", "storefront", 1, 1)])
    write_list(root, ns, "pods.json", "Pod", [
        pod("frontend-8c7b6a5d4-h5j6k", ns, {"app": "frontend", "pod-template-hash": "8c7b6a5d4"}, [fe], [
            cstatus("frontend", img, waiting=("ImagePullBackOff", 'Back-off pulling image "%s"' % img))],
            owner=("ReplicaSet", "frontend-8c7b6a5d4")),
        pod("storefront-9d8c7b6a5-s1t2u", ns, {"app": "storefront", "pod-template-hash": "9d8c7b6a5"}, [sf], [
            cstatus("storefront", "web/storefront:4.1.0", running="2026-11-21T08:00:00Z", ready=True)],
            owner=("ReplicaSet", "storefront-9d8c7b6a5"))])
    write_list(root, ns, "services.json", "Service", [service("storefront", ns, {"app": "store-front"})])
    write_list(root, ns, "events.json", "Event", [
        event(ns, "Pod", "frontend-8c7b6a5d4-h5j6k", "Failed", not_found, count=5, field_path="spec.containers{frontend}"),
        event(ns, "Pod", "frontend-8c7b6a5d4-h5j6k", "Failed", "Error: ErrImagePull", count=5, field_path="spec.containers{frontend}"),
        event(ns, "Pod", "frontend-8c7b6a5d4-h5j6k", "BackOff", 'Back-off pulling image "%s"' % img, count=31,
              field_path="spec.containers{frontend}"),
        event(ns, "Pod", "frontend-8c7b6a5d4-h5j6k", "Scheduled", "Successfully assigned web/frontend-8c7b6a5d4-h5j6k to node-b",
              type_="Normal")])

    # batch: a CronJob whose latest Job failed (BackoffLimitExceeded), and a completed Job that is fine
    ns = "batch"
    write_list(root, ns, "cronjobs.json", "CronJob", [
        {"kind": "CronJob", "apiVersion": "batch/v1", "metadata": meta("report", ns),
         "spec": {"schedule": "0 * * * *", "jobTemplate": {"spec": {"template": {"spec": {"containers": [
             container("report", "batch/report:0.9")], "restartPolicy": "Never"}}}}},
         "status": {"lastScheduleTime": "2026-11-21T09:00:00Z"}}])
    write_list(root, ns, "jobs.json", "Job", [
        {"kind": "Job", "apiVersion": "batch/v1", "metadata": meta("report-29123400", ns, {"job-name": "report-29123400"}, ("CronJob", "report")),
         "spec": {"backoffLimit": 2, "template": {"spec": {"containers": [container("report", "batch/report:0.9")], "restartPolicy": "Never"}}},
         "status": {"failed": 3, "startTime": "2026-11-21T09:00:00Z", "conditions": [
             cond("Failed", "True", "BackoffLimitExceeded", "Job has reached the specified backoff limit")]}},
        {"kind": "Job", "apiVersion": "batch/v1", "metadata": meta("cleanup", ns, {"job-name": "cleanup"}),
         "spec": {"backoffLimit": 6, "template": {"spec": {"containers": [container("cleanup", "batch/cleanup:1.0")], "restartPolicy": "OnFailure"}}},
         "status": {"succeeded": 1, "startTime": "2026-11-21T08:00:00Z", "completionTime": "2026-11-21T08:01:00Z",
                    "conditions": [cond("Complete", "True")]}}])
    rep = container("report", "batch/report:0.9")
    write_list(root, ns, "pods.json", "Pod", [
        pod("report-29123400-7xk2p", ns, {"job-name": "report-29123400"}, [rep], [
            cstatus("report", "batch/report:0.9", term=terminated("Error", 1, "2026-11-21T09:02:10Z"))],
            owner=("Job", "report-29123400"), phase="Failed", restart_policy="Never"),
        pod("cleanup-4m5n6", ns, {"job-name": "cleanup"}, [container("cleanup", "batch/cleanup:1.0")], [
            cstatus("cleanup", "batch/cleanup:1.0", term=terminated("Completed", 0, "2026-11-21T08:01:00Z"))],
            owner=("Job", "cleanup"), phase="Succeeded", restart_policy="OnFailure",
            conditions=[cond("Ready", "False", "PodCompleted"), cond("PodScheduled", "True")])])
    write_logs(root, ns, "report-29123400-7xk2p", [("report", [
        "2026-11-21T09:02:09.001Z INFO  report generator 0.9 starting",
        "2026-11-21T09:02:09.120Z INFO  connecting to postgres at db.batch.svc:5432 as report",
        '2026-11-21T09:02:10.001Z FATAL password authentication failed for user "report"'])])
    write_logs(root, ns, "cleanup-4m5n6", [("cleanup", ["removed 42 expired sessions", "done"])])
    write_list(root, ns, "events.json", "Event", [
        event(ns, "Job", "report-29123400", "BackoffLimitExceeded", "Job has reached the specified backoff limit", count=1),
        event(ns, "Job", "cleanup", "Completed", "Job completed", type_="Normal")])

    # quota: a Deployment that cannot create its third replica
    ns = "quota"
    qa = container("api", "quota/api:1.0", limits={"memory": "1Gi"}, requests={"memory": "512Mi"})
    msg = ('pods "api-7b9d6c5f8-w2x3c" is forbidden: exceeded quota: compute-quota, requested: limits.memory=1Gi, '
           'used: limits.memory=2Gi, limited: limits.memory=2Gi')
    write_list(root, ns, "deployments.json", "Deployment", [deployment("api", ns, {"app": "api"}, 3, 2, [qa], conditions=[
        cond("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability."),
        cond("ReplicaFailure", "True", "FailedCreate", msg),
        cond("Progressing", "True", "ReplicaSetUpdated", 'ReplicaSet "api-7b9d6c5f8" is progressing.')])])
    write_list(root, ns, "replicasets.json", "ReplicaSet", [replicaset("api-7b9d6c5f8", ns, {"app": "api"}, "7b9d6c5f8", "api", 3, 2)])
    write_list(root, ns, "pods.json", "Pod", [
        pod("api-7b9d6c5f8-%s" % s, ns, {"app": "api", "pod-template-hash": "7b9d6c5f8"}, [qa], [
            cstatus("api", "quota/api:1.0", running="2026-11-21T07:00:00Z", ready=True)], owner=("ReplicaSet", "api-7b9d6c5f8"))
        for s in ("a1b2c", "d3e4f")])
    write_list(root, ns, "resourcequotas.json", "ResourceQuota", [
        {"kind": "ResourceQuota", "apiVersion": "v1", "metadata": meta("compute-quota", ns),
         "spec": {"hard": {"limits.memory": "2Gi"}}, "status": {"hard": {"limits.memory": "2Gi"}, "used": {"limits.memory": "2Gi"}}}])
    write_list(root, ns, "events.json", "Event", [
        event(ns, "ReplicaSet", "api-7b9d6c5f8", "FailedCreate", "Error creating: " + msg, count=12)])
    dependency(root)


def dependency(root):
    # deps: checkout-ui is not ready because the payments Service it calls has no pods at all
    ns = "deps"
    ui = container("ui", "deps/checkout-ui:2.0", readiness=http_probe("/ready", 3000), ports=[3000])
    write_list(root, ns, "deployments.json", "Deployment", [deployment("checkout-ui", ns, {"app": "checkout-ui"}, 1, 0, [ui])])
    write_list(root, ns, "replicasets.json", "ReplicaSet", [
        replicaset("checkout-ui-6f7d8c9b5", ns, {"app": "checkout-ui"}, "6f7d8c9b5", "checkout-ui", 1, 0)])
    write_list(root, ns, "pods.json", "Pod", [
        pod("checkout-ui-6f7d8c9b5-w4x5z", ns, {"app": "checkout-ui", "pod-template-hash": "6f7d8c9b5"}, [ui], [
            cstatus("ui", "deps/checkout-ui:2.0", running="2026-11-21T09:00:00Z", ready=False)],
            owner=("ReplicaSet", "checkout-ui-6f7d8c9b5"))])
    write_list(root, ns, "services.json", "Service", [service("payments", ns, {"app": "payments"})])
    write_list(root, ns, "events.json", "Event", [
        event(ns, "Pod", "checkout-ui-6f7d8c9b5-w4x5z", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 500",
              count=55, field_path="spec.containers{ui}")])
    write_logs(root, ns, "checkout-ui-6f7d8c9b5-w4x5z", [("ui", noise("ui", 12) + [
        "2026-11-21T09:59:40.000Z ERROR [ui] payment request failed: dial tcp payments:8080: connect: connection refused"]
        + noise("ui", 4, 50))])


# ----------------------------------------------------------------------------------------------- scheduling dump

def scheduling():
    root = reset("scheduling")
    write_list(root, None, "nodes.json", "Node", [
        node("node-1", labels={"disktype": "ssd"}),
        node("node-2", ready=False, ready_reason="KubeletNotReady", ready_message="PLEG is not healthy: pleg was last seen active 3m2s ago",
             taints=[{"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"}]),
        node("node-3", pressure=("MemoryPressure",), taints=[{"key": "node.kubernetes.io/memory-pressure", "effect": "NoSchedule"}])])
    write_list(root, "default", "events.json", "Event", [
        event(None, "Node", "node-3", "EvictionThresholdMet", "Attempting to reclaim memory", count=3),
        event(None, "Node", "node-2", "NodeNotReady", "Node node-2 status is now: NodeNotReady", type_="Normal")])

    ns = "app-13b"
    write_list(root, ns, "pods.json", "Pod", [
        pod("user-profile-import", ns, None, [container("nginx", "nginx")], [], phase="Pending", node=None,
            node_selector={"label": "someLabel"}, conditions=[cond("PodScheduled", "False", "Unschedulable",
                "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.")])])
    write_list(root, ns, "events.json", "Event", [
        event(ns, "Pod", "user-profile-import", "FailedScheduling",
              "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.", count=4)])

    ns = "ml"
    tr = container("trainer", "ml/trainer:3.1", requests={"nvidia.com/gpu": "1", "cpu": "1"}, limits={"nvidia.com/gpu": "1"})
    msg = ("0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/memory-pressure: }, "
           "1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 1 Insufficient nvidia.com/gpu. "
           "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.")
    write_list(root, ns, "deployments.json", "Deployment", [deployment("trainer", ns, {"app": "trainer"}, 1, 0, [tr])])
    write_list(root, ns, "replicasets.json", "ReplicaSet", [replicaset("trainer-6b5c4d3e2", ns, {"app": "trainer"}, "6b5c4d3e2", "trainer", 1, 0)])
    write_list(root, ns, "pods.json", "Pod", [
        pod("trainer-6b5c4d3e2-g9h8j", ns, {"app": "trainer", "pod-template-hash": "6b5c4d3e2"}, [tr], [], owner=("ReplicaSet", "trainer-6b5c4d3e2"),
            phase="Pending", node=None, conditions=[cond("PodScheduled", "False", "Unschedulable", msg)])])
    write_list(root, ns, "events.json", "Event", [event(ns, "Pod", "trainer-6b5c4d3e2-g9h8j", "FailedScheduling", msg, count=14)])

    ns = "ops"
    ag = container("agent", "ops/agent:1.2")
    msg_taints = ("0/2 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/memory-pressure: }, "
                  "1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. preemption: 0/2 nodes are available: "
                  "2 Preemption is not helpful for scheduling.")
    write_list(root, ns, "statefulsets.json", "StatefulSet", [
        {"kind": "StatefulSet", "apiVersion": "apps/v1", "metadata": meta("collector", ns, {"app": "collector"}),
         "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "collector"}}, "serviceName": "collector",
                  "template": {"metadata": {"labels": {"app": "collector"}}, "spec": {"containers": [ag]}}},
         "status": {"replicas": 1, "readyReplicas": 0, "currentReplicas": 1}}])
    gw = container("gateway", "ops/gateway:3.3")
    write_list(root, ns, "deployments.json", "Deployment", [deployment("gateway", ns, {"app": "gateway"}, 1, 0, [gw])])
    write_list(root, ns, "replicasets.json", "ReplicaSet", [replicaset("gateway-5c4b3d2f6", ns, {"app": "gateway"}, "5c4b3d2f6", "gateway", 1, 0)])
    write_list(root, ns, "pods.json", "Pod", [
        pod("collector-0", ns, {"app": "collector"}, [ag], [], owner=("StatefulSet", "collector"), phase="Pending", node=None,
            conditions=[cond("PodScheduled", "False", "Unschedulable", msg_taints)]),
        pod("gateway-5c4b3d2f6-n7m8p", ns, {"app": "gateway", "pod-template-hash": "5c4b3d2f6"}, [gw], [
            cstatus("gateway", "ops/gateway:3.3", running="2026-11-21T08:00:00Z", ready=False)],
            owner=("ReplicaSet", "gateway-5c4b3d2f6"), node="node-2")])
    write_list(root, ns, "services.json", "Service", [service("gateway", ns, {"app": "gateway"})])
    write_list(root, ns, "events.json", "Event", [event(ns, "Pod", "collector-0", "FailedScheduling", msg_taints, count=9)])

    ns = "app-24b"
    rd = container("redis", "redis:7.2")
    write_list(root, ns, "deployments.json", "Deployment", [deployment("redis", ns, {"app": "redis"}, 1, 0, [rd])])
    write_list(root, ns, "replicasets.json", "ReplicaSet", [replicaset("redis-747ffc844f", ns, {"app": "redis"}, "747ffc844f", "redis", 1, 0)])
    sched = ("0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: "
             "3 Preemption is not helpful for scheduling.")
    write_list(root, ns, "pods.json", "Pod", [
        pod("redis-747ffc844f-f9ghd", ns, {"app": "redis", "pod-template-hash": "747ffc844f"}, [rd], [], owner=("ReplicaSet", "redis-747ffc844f"),
            phase="Pending", node=None, volumes=[{"name": "data", "persistentVolumeClaim": {"claimName": "redis-standard-pvc"}}],
            conditions=[cond("PodScheduled", "False", "Unschedulable", sched)])])
    write_list(root, ns, "pvcs.json", "PersistentVolumeClaim", [
        {"kind": "PersistentVolumeClaim", "apiVersion": "v1", "metadata": meta("redis-standard-pvc", ns),
         "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "standard-v2", "resources": {"requests": {"storage": "1Gi"}}},
         "status": {"phase": "Pending"}}])
    write_list(root, ns, "events.json", "Event", [
        event(ns, "PersistentVolumeClaim", "redis-standard-pvc", "ProvisioningFailed",
              'storageclass.storage.k8s.io "standard-v2" not found', count=42),
        event(ns, "Pod", "redis-747ffc844f-f9ghd", "FailedScheduling", sched, count=2)])

    ns = "batch"
    ing = container("ingest", "batch/ingest:2.2", requests={"memory": "256Mi"})
    evicted_msg = ("The node was low on resource: memory. Threshold quantity: 100Mi, available: 52Mi. Container ingest was using "
                   "1650Mi, request is 256Mi, has larger consumption of memory. ")
    write_list(root, ns, "deployments.json", "Deployment", [deployment("ingest", ns, {"app": "ingest"}, 2, 2, [ing])])
    write_list(root, ns, "replicasets.json", "ReplicaSet", [replicaset("ingest-5c6d7e8f9", ns, {"app": "ingest"}, "5c6d7e8f9", "ingest", 2, 2)])
    labels = {"app": "ingest", "pod-template-hash": "5c6d7e8f9"}
    write_list(root, ns, "pods.json", "Pod", [
        pod("ingest-5c6d7e8f9-ev1ct", ns, labels, [ing], [], owner=("ReplicaSet", "ingest-5c6d7e8f9"), phase="Failed", node="node-3",
            reason="Evicted", message=evicted_msg, conditions=[]),
        pod("ingest-5c6d7e8f9-ev2ct", ns, labels, [ing], [], owner=("ReplicaSet", "ingest-5c6d7e8f9"), phase="Failed", node="node-3",
            reason="Evicted", message=evicted_msg, conditions=[]),
        pod("ingest-5c6d7e8f9-ok1aa", ns, labels, [ing], [cstatus("ingest", "batch/ingest:2.2", running="2026-11-21T09:30:00Z", ready=True)],
            owner=("ReplicaSet", "ingest-5c6d7e8f9"), node="node-1"),
        pod("ingest-5c6d7e8f9-ok2bb", ns, labels, [ing], [cstatus("ingest", "batch/ingest:2.2", running="2026-11-21T09:31:00Z", ready=True)],
            owner=("ReplicaSet", "ingest-5c6d7e8f9"), node="node-1")])
    write_list(root, ns, "events.json", "Event", [
        event(ns, "Pod", "ingest-5c6d7e8f9-ev1ct", "Evicted", evicted_msg.strip(), count=1)])


# ----------------------------------------------------------------------------------------------- healthy dump

def healthy():
    root = reset("healthy")
    write_list(root, None, "nodes.json", "Node", [node("node-a"), node("node-b")])
    ns = "good"
    shop = container("shop", "good/shop:1.0", limits={"memory": "512Mi"}, requests={"cpu": "100m", "memory": "256Mi"},
                     readiness=http_probe("/healthz", 8080), ports=[8080])
    labels = {"app": "shop", "pod-template-hash": "7c6b5a4d3"}
    write_list(root, ns, "deployments.json", "Deployment", [deployment("shop", ns, {"app": "shop"}, 2, 2, [shop])])
    write_list(root, ns, "replicasets.json", "ReplicaSet", [replicaset("shop-7c6b5a4d3", ns, {"app": "shop"}, "7c6b5a4d3", "shop", 2, 2)])
    write_list(root, ns, "pods.json", "Pod", [
        pod("shop-7c6b5a4d3-aaaaa", ns, labels, [shop], [
            cstatus("shop", "good/shop:1.0", running=T_OLD, ready=True, restarts=1,
                    last=terminated("Error", 1, T_OLD, "2026-11-18T07:59:00Z"))], owner=("ReplicaSet", "shop-7c6b5a4d3")),
        pod("shop-7c6b5a4d3-bbbbb", ns, labels, [shop], [
            cstatus("shop", "good/shop:1.0", running=T_OLD, ready=True)], owner=("ReplicaSet", "shop-7c6b5a4d3"), node="node-b"),
        pod("nightly-29123000-zzzzz", ns, {"job-name": "nightly-29123000"}, [container("nightly", "good/nightly:1.0")], [
            cstatus("nightly", "good/nightly:1.0", term=terminated("Completed", 0, "2026-11-21T03:00:40Z"))],
            owner=("Job", "nightly-29123000"), phase="Succeeded", restart_policy="OnFailure",
            conditions=[cond("Ready", "False", "PodCompleted"), cond("PodScheduled", "True")])])
    write_list(root, ns, "services.json", "Service", [service("shop", ns, {"app": "shop"})])
    write_list(root, ns, "endpoints.json", "Endpoints", [endpoints("shop", ns, ready_ips=("10.0.2.5", "10.0.2.6"))])
    write_list(root, ns, "cronjobs.json", "CronJob", [
        {"kind": "CronJob", "apiVersion": "batch/v1", "metadata": meta("nightly", ns),
         "spec": {"schedule": "0 3 * * *", "jobTemplate": {"spec": {"template": {"spec": {"containers": [
             container("nightly", "good/nightly:1.0")], "restartPolicy": "OnFailure"}}}}}}])
    write_list(root, ns, "jobs.json", "Job", [
        {"kind": "Job", "apiVersion": "batch/v1", "metadata": meta("nightly-29123000", ns, None, ("CronJob", "nightly")),
         "spec": {"template": {"spec": {"containers": [container("nightly", "good/nightly:1.0")], "restartPolicy": "OnFailure"}}},
         "status": {"succeeded": 1, "conditions": [cond("Complete", "True")]}}])
    write_list(root, ns, "horizontalpodautoscalers.json", "HorizontalPodAutoscaler", [
        {"kind": "HorizontalPodAutoscaler", "apiVersion": "autoscaling/v2", "metadata": meta("shop", ns),
         "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "shop"}, "minReplicas": 2, "maxReplicas": 6,
                  "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}]},
         "status": {"currentReplicas": 2, "desiredReplicas": 2,
                    "currentMetrics": [{"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": 35}}}],
                    "conditions": [cond("AbleToScale", "True", "ReadyForNewScale"), cond("ScalingActive", "True", "ValidMetricFound"),
                                   cond("ScalingLimited", "False", "DesiredWithinRange")]}}])
    write_list(root, ns, "events.json", "Event", [
        event(ns, "Pod", "shop-7c6b5a4d3-aaaaa", "Scheduled", "Successfully assigned good/shop-7c6b5a4d3-aaaaa to node-a", type_="Normal", last=T_OLD),
        event(ns, "Pod", "shop-7c6b5a4d3-aaaaa", "Pulled", 'Container image "good/shop:1.0" already present on machine', type_="Normal", last=T_OLD),
        event(ns, "Pod", "shop-7c6b5a4d3-aaaaa", "Unhealthy", "Readiness probe failed: Get \"http://10.0.2.5:8080/healthz\": dial tcp 10.0.2.5:8080: connect: connection refused",
              count=1, last=T_OLD, field_path="spec.containers{shop}"),
        event(ns, "Job", "nightly-29123000", "Completed", "Job completed", type_="Normal")])
    for p in ("shop-7c6b5a4d3-aaaaa", "shop-7c6b5a4d3-bbbbb"):
        write_logs(root, ns, p, [("shop", noise("shop", 60) + ["2026-11-21T09:59:59.000Z WARN  [shop] slow request GET /api/cart 1200ms"])])


def malformed():
    root = reset("malformed")
    write_list(root, None, "nodes.json", "Node", [node("node-a")])
    os.makedirs(os.path.join(root, "shop"))
    with open(os.path.join(root, "shop", "pods.json"), "w") as f:
        f.write('{"kind": "PodList", "items": [ {"metadata": {"name": "x"}, ]\n')


if __name__ == "__main__":
    workloads()
    scheduling()
    healthy()
    malformed()

"""Namespace `data`: redis (healthy StatefulSet), analytics-db (PVC Pending: StorageClass missing), etl-worker
(Unschedulable), report-builder (CronJob whose last Job hit its backoff limit)."""
from datetime import timedelta

import builders as B
import logs as L
import wl
from k8s import (NOW, ago, container, cstatus, env, env_secret, exec_probe, pod_spec, running, tcp_probe, template,
                 terminated, ts, waiting)
from ns_shop import avail, progressed

NS = "data"


def build(c, nodes, x):
    c.reseed(NS)
    B.namespace_basics(c, NS, ago(days=250))
    c.reseed(NS + "/redis")
    redis(c, nodes, x)
    c.reseed(NS + "/analytics_db")
    analytics_db(c, nodes, x)
    c.reseed(NS + "/etl_worker")
    etl_worker(c, nodes, x)
    c.reseed(NS + "/report_builder")
    report_builder(c, nodes, x)


def sts_pod_labels(name, rev, i):
    return {"apps.kubernetes.io/pod-index": str(i), "controller-revision-hash": rev,
            "statefulset.kubernetes.io/pod-name": "%s-%d" % (name, i)}


def with_claim(tmpl, claim):
    import copy
    t = copy.deepcopy(tmpl)
    t["spec"].setdefault("volumes", []).insert(0, {"name": "data", "persistentVolumeClaim": {"claimName": claim}})
    return t


# ---- redis: healthy ---------------------------------------------------------------------------------------
def redis(c, nodes, x):
    name, ver = "redis", "7.4.1"
    image = "redis:7.4.1-alpine"
    ct = container("redis", image, ports=[("redis", 6379)], cpu_req="100m", mem_req="256Mi", mem_lim="512Mi",
                   command=["redis-server", "/etc/redis/redis.conf"],
                   readiness=exec_probe(["redis-cli", "ping"], 5, 10), liveness=tcp_probe(6379, 15, 20),
                   mounts=[{"name": "data", "mountPath": "/data"},
                           {"name": "config", "mountPath": "/etc/redis", "readOnly": True}])
    spec = pod_spec([ct], volumes=[{"name": "config", "configMap": {"name": "redis-config", "defaultMode": 420}}])
    B.configmap(c, NS, "redis-config", {"redis.conf": "appendonly no\nsave 900 1\nmaxmemory 384mb\n"
                                        "maxmemory-policy allkeys-lru\nprotected-mode no\n"}, ago(days=250))
    tmpl = template(wl.tmpl_labels(name, "data", ver), spec)
    rev = name + "-" + c.hexs(10)[:10].replace("a", "5")
    started = ago(days=2, hours=5)
    sts = B.statefulset(c, NS, name, wl.labels(name, "data", ver, "cache"), tmpl, 3, ago(days=250), name,
                        [B.vct("data", "8Gi", "gp3")],
                        {"observedGeneration": 4, "replicas": 3, "readyReplicas": 3, "currentReplicas": 3,
                         "updatedReplicas": 3, "currentRevision": rev, "updateRevision": rev, "collisionCount": 0,
                         "availableReplicas": 3})
    sts["metadata"]["generation"] = 4
    pods = []
    for i, n in enumerate([nodes[0], nodes[1], nodes[0]]):
        pn = "%s-%d" % (name, i)
        claim = "data-" + pn
        B.pvc(c, NS, claim, {"app.kubernetes.io/name": name}, "8Gi", "gp3", ago(days=250, minutes=-i),
              bound_volume="pvc-" + c.uid(), node_name=n["metadata"]["name"])
        t = with_claim(tmpl, claim)
        t["metadata"]["labels"].update(sts_pod_labels(name, rev, i))
        created = started + timedelta(seconds=35 * (2 - i))
        st = created + timedelta(seconds=3)
        cs = [cstatus(c, ct, running(st), True, started=True)]
        p = B.pod(c, NS, pn, sts, t, n, created, "Running", B.conds_ready(created, st), cs, generate_name=name + "-")
        p["spec"]["hostname"] = pn
        p["spec"]["subdomain"] = name
        pods.append(p)
        c.add_log(NS, pn, "redis", redis_logs(c, st, i))
    svc = B.service(c, NS, name, wl.labels(name, "data", ver, "cache"), {"app.kubernetes.io/name": name},
                    [("redis", 6379, 6379)], ago(days=250), "None", headless=True)
    B.endpoints(c, svc, pods, started + timedelta(seconds=80))
    x.add(NS, "StatefulSet", name, [], "Healthy: 3/3 ready, PVCs data-redis-0..2 Bound (gp3); logs contain the "
          "harmless '# WARNING Memory overcommit must be enabled!' startup warning.", healthy=True)


def redis_logs(c, st, i):
    rng = c.rng
    t = st
    out = []

    def ln(sym, msg, role="C", dt=5):
        nonlocal t
        t += timedelta(milliseconds=rng.randint(0, dt))
        out.append(L.redis_line(t, role, sym, msg))
    ln("#", "WARNING Memory overcommit must be enabled! Without it, a background save or replication may fail under "
       "low memory condition. Being disabled, it can also cause failures without low memory condition, see "
       "https://github.com/jemalloc/jemalloc/issues/1328. To fix this issue add 'vm.overcommit_memory = 1' to "
       "/etc/sysctl.conf and then reboot or run the command 'sysctl vm.overcommit_memory=1' for this to take effect.")
    ln("*", "oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo")
    ln("*", "Redis version=7.4.1, bits=64, commit=00000000, modified=0, pid=1, just started")
    ln("*", "Configuration loaded")
    ln("*", "monotonic clock: POSIX clock_gettime", "M")
    ln("*", "Running mode=standalone, port=6379.", "M")
    ln("*", "Server initialized", "M")
    ln("*", "Loading RDB produced by version 7.4.1", "M")
    ln("*", "RDB age %d seconds" % rng.randint(20, 90), "M")
    ln("*", "RDB memory usage when created %.2f Mb" % (rng.random() * 40 + 60), "M")
    ln("*", "Done loading RDB, keys loaded: %d, keys expired: %d." % (rng.randint(90000, 140000), rng.randint(10, 900)), "M")
    ln("*", "DB loaded from disk: %.3f seconds" % (rng.random() * 0.5 + 0.1), "M")
    ln("*", "Ready to accept connections tcp", "M")
    t = st + timedelta(minutes=15)
    while t < NOW:
        pid = rng.randint(100, 99999)
        ln("*", "1 changes in 900 seconds. Saving...", "M", 900)
        ln("*", "Background saving started by pid %d" % pid, "M", 3)
        out.append(L.redis_line(t + timedelta(milliseconds=300), str(pid) + ":C", "*", "DB saved on disk").replace("1:" + str(pid), str(pid)))
        out.append(L.redis_line(t + timedelta(milliseconds=310), str(pid) + ":C", "*",
                                "Fork CoW for RDB: current %d MB, peak %d MB, average %d MB"
                                % (rng.randint(0, 3), rng.randint(2, 5), rng.randint(1, 3))).replace("1:" + str(pid), str(pid)))
        ln("*", "Background saving terminated with success", "M", 500)
        t += timedelta(minutes=15, seconds=rng.randint(0, 40))
    return out


# ---- analytics-db: PVC Pending, storage class missing -----------------------------------------------------------
def analytics_db(c, nodes, x):
    name, ver = "analytics-db", "16.4"
    image = "postgres:16.4"
    ct = container("postgres", image, ports=[("postgresql", 5432)], cpu_req="500m", mem_req="2Gi", mem_lim="4Gi",
                   env=[env("POSTGRES_DB", "analytics"), env("PGDATA", "/var/lib/postgresql/data/pgdata"),
                        env_secret("POSTGRES_PASSWORD", "analytics-db", "postgres-password")],
                   readiness=exec_probe(["pg_isready", "-U", "postgres"], 10, 10),
                   liveness=exec_probe(["pg_isready", "-U", "postgres"], 30, 20),
                   mounts=[{"name": "data", "mountPath": "/var/lib/postgresql/data"}])
    tmpl = template(wl.tmpl_labels(name, "data", ver), pod_spec([ct]))
    B.secret(c, NS, "analytics-db", {"postgres-password": "an4lytics-PG-pw"}, ago(hours=3))
    created = ago(hours=2, minutes=48)
    rev = name + "-" + c.safe(10)
    sts = B.statefulset(c, NS, name, wl.labels(name, "data", ver, "database"), tmpl, 1, created, name,
                        [B.vct("data", "200Gi", "fast-ssd")],
                        {"observedGeneration": 1, "replicas": 1, "currentReplicas": 1, "updatedReplicas": 1,
                         "currentRevision": rev, "updateRevision": rev, "collisionCount": 0, "availableReplicas": 0})
    claim = "data-analytics-db-0"
    pv = B.pvc(c, NS, claim, {"app.kubernetes.io/name": name}, "200Gi", "fast-ssd", created + timedelta(seconds=1))
    t = with_claim(tmpl, claim)
    t["metadata"]["labels"].update(sts_pod_labels(name, rev, 0))
    msg = ("0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are "
           "available: 3 Preemption is not helpful for scheduling.")
    pc = created + timedelta(seconds=1)
    p = B.pod(c, NS, name + "-0", sts, t, None, pc, "Pending", B.conds_unschedulable(pc, msg), None,
              generate_name=name + "-")
    p["spec"]["hostname"] = name + "-0"
    p["spec"]["subdomain"] = name
    c.add_log(NS, name + "-0", "postgres", [])
    # (the StatefulSet's SuccessfulCreate events of 2h48m ago have expired: events live one hour)
    B.event(c, pv, "ProvisioningFailed", 'storageclass.storage.k8s.io "fast-ssd" not found', "Warning", count=663,
            first=pc, last=ago(seconds=8), component="persistentvolume-controller")
    B.event(c, p, "FailedScheduling", msg, "Warning", count=34, first=pc, last=ago(minutes=4, seconds=12),
            component="default-scheduler")
    svc = B.service(c, NS, name, wl.labels(name, "data", ver, "database"), {"app.kubernetes.io/name": name},
                    [("postgresql", 5432, 5432)], created, "10.100.140.77")
    B.endpoints(c, svc, [p], created)
    x.add(NS, "StatefulSet", name, [
        x.f("VolumeError", True, None, "fast-ssd", "not found")],
        "PVC data-analytics-db-0 requests StorageClass fast-ssd, which does not exist (cluster has gp2/gp3): "
        "ProvisioningFailed events, PVC Pending, pod analytics-db-0 Pending with 'unbound immediate "
        "PersistentVolumeClaims'. An Unschedulable or ServiceNoEndpoints finding, if reported, must link to the "
        "VolumeError as its cause.")


# ---- etl-worker: does not fit any node ---------------------------------------------------------------------
def etl_worker(c, nodes, x):
    name, ver = "etl-worker", "2.1.0"
    h = c.safe(10)
    image = wl.ecr("data/etl-worker", ver)
    spec = pod_spec([container("worker", image, cpu_req="2", cpu_lim="3", mem_req="16Gi", mem_lim="16Gi",
                               env=[env("SPARK_DRIVER_MEMORY", "12g"), env("BATCH_SIZE", "500000"),
                                    env_secret("WAREHOUSE_DSN", "etl-worker", "dsn")])])
    B.secret(c, NS, "etl-worker", {"dsn": "postgresql://etl:etl-Wh-2026@warehouse.data.svc:5432/warehouse"},
             ago(days=30))
    tmpl = template(wl.tmpl_labels(name, "data", ver), spec)
    created = ago(minutes=44)
    rs_name = name + "-" + h
    dep = B.deployment(c, NS, name, wl.labels(name, "data", ver, "worker"), tmpl, 1, created, 1,
                       B.dep_status(1, 1, 0, 0, [avail(False, created, created),
                                                 B.dcond("Progressing", "False", ago(minutes=34), ago(minutes=34),
                                                         "ProgressDeadlineExceeded",
                                                         'ReplicaSet "%s" has timed out progressing.' % rs_name)]))
    rs = B.replicaset(c, dep, h, 1, 1, 0, 0, created)
    msg = ("0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/disk-pressure: }, 2 "
           "Insufficient memory. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 "
           "No preemption victims found for incoming pod.")
    pc = created + timedelta(seconds=1)
    pname = wl.pod_name(c, rs)
    p = B.pod(c, NS, pname, rs, tmpl, None, pc, "Pending", B.conds_unschedulable(pc, msg), None)
    c.add_log(NS, pname, "worker", [])
    B.event(c, dep, "ScalingReplicaSet", "Scaled up replica set %s to 1" % rs_name, first=created,
            component="deployment-controller")
    B.event(c, rs, "SuccessfulCreate", "Created pod: " + pname, first=pc, component="replicaset-controller")
    B.event(c, p, "FailedScheduling", msg, "Warning", count=11, first=pc, last=ago(minutes=2, seconds=3),
            component="default-scheduler")
    x.add(NS, "Deployment", name, [
        x.f("Unschedulable", True, "worker", "Insufficient memory"),
        x.f("RolloutStuck", False, None, "ProgressDeadlineExceeded")],
        "Requests 16Gi memory; nodes are m5.xlarge with ~14.2Gi allocatable, and the third node is tainted "
        "disk-pressure. The pod stays Pending (FailedScheduling), rollout exceeded its deadline.")


# ---- report-builder: CronJob; last Job failed (S3 AccessDenied) -------------------------------------------------
def job_suffix(t):
    return str(int(t.timestamp() // 60))


def report_builder(c, nodes, x):
    name, ver = "report-builder", "1.6.2"
    image = wl.ecr("data/report-builder", ver)
    ct = container("report", image, cpu_req="500m", cpu_lim="1", mem_req="1Gi", mem_lim="2Gi",
                   command=["python", "-m", "report_builder.main"], args=["--report", "daily-sales"],
                   env=[env("REPORT_BUCKET", "acme-reports-prod"), env("AWS_REGION", "eu-west-1"),
                        env_secret("AWS_ACCESS_KEY_ID", "report-builder-aws", "access-key-id"),
                        env_secret("AWS_SECRET_ACCESS_KEY", "report-builder-aws", "secret-access-key"),
                        env_secret("DATABASE_URL", "report-builder-aws", "database-url"), env("LOG_LEVEL", "DEBUG")])
    B.secret(c, NS, "report-builder-aws", {"access-key-id": "AKIA4DEMO7QX2ZL5KT3N",
                                           "secret-access-key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYDEMOKEY0123",
                                           "database-url": "postgresql://reporter:R3p0rt3r-pw@warehouse.data.svc:5432/warehouse"},
             ago(days=100))
    jt_spec = pod_spec([ct], restart="Never", sa="report-builder")
    cj = {"kind": "CronJob", "apiVersion": "batch/v1",
          "metadata": c.meta(name, NS, ago(days=100), labels=wl.labels(name, "data", ver, "batch"), generation=3),
          "spec": {"schedule": "0 * * * *", "timeZone": "Etc/UTC", "concurrencyPolicy": "Forbid", "suspend": False,
                   "jobTemplate": {"metadata": {"creationTimestamp": None},
                                   "spec": {"backoffLimit": 2, "activeDeadlineSeconds": 1800,
                                            "template": {"metadata": {"creationTimestamp": None,
                                                                      "labels": wl.tmpl_labels(name, "data", ver)},
                                                         "spec": jt_spec}}},
                   "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1},
          "status": {"lastScheduleTime": ts(ago(hours=1)), "lastSuccessfulTime": ts(ago(hours=1, minutes=56))}}
    c.add(NS, "cronjobs", cj)
    ok_at, bad_at = ago(hours=2), ago(hours=1)
    # previous run succeeded
    ok_job, ok_pods = job(c, cj, ok_at, jt_spec, ct, [("Completed", 0, 230)], succeeded=True)
    c.add_log(NS, ok_pods[0]["metadata"]["name"], "report", report_logs(c, ok_at + timedelta(seconds=3), ok=True))
    bad_job, bad_pods = job(c, cj, bad_at, jt_spec, ct, [("Error", 1, 41), ("Error", 1, 44), ("Error", 1, 39)],
                            succeeded=False)
    for p in bad_pods:
        st = p["status"]["containerStatuses"][0]["state"]["terminated"]
        from datetime import datetime
        c.add_log(NS, p["metadata"]["name"], "report",
                  report_logs(c, datetime.strptime(st["startedAt"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=NOW.tzinfo),
                              ok=False))
    jn = bad_job["metadata"]["name"]
    B.event(c, cj, "SuccessfulCreate", "Created job " + jn, first=bad_at, component="cronjob-controller")
    B.event(c, cj, "SawCompletedJob", "Saw completed job: %s, condition: Failed" % jn,
            first=bad_at + timedelta(minutes=4, seconds=12), component="cronjob-controller")
    for p in bad_pods:
        B.event(c, bad_job, "SuccessfulCreate", "Created pod: " + p["metadata"]["name"],
                first=datetime_of(p["metadata"]["creationTimestamp"]), component="job-controller")
    B.event(c, bad_job, "BackoffLimitExceeded", "Job has reached the specified backoff limit", "Warning",
            first=bad_at + timedelta(minutes=4, seconds=12), component="job-controller")
    x.add(NS, "Job", jn, [
        x.f("JobFailed", True, "report", "BackoffLimitExceeded", "AccessDenied")],
        "Job %s (created by CronJob report-builder at 09:00) failed 3 times (backoffLimit 2), each pod exiting 1 "
        "after boto3 S3UploadFailedError AccessDenied on PutObject; logs also print an AKIA access key id "
        "(redaction test). The 08:00 run succeeded. Asking about the CronJob report-builder must surface this "
        "finding." % jn)


def datetime_of(s):
    from datetime import datetime
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=NOW.tzinfo)


def job(c, cj, at, spec, ct, runs, succeeded, ns=NS):
    import copy
    name = "%s-%s" % (cj["metadata"]["name"], job_suffix(at))
    uid = c.uid()
    sel = {"batch.kubernetes.io/controller-uid": uid}
    labels = dict(cj["spec"]["jobTemplate"]["spec"]["template"]["metadata"]["labels"])
    labels.update({"batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": name,
                   "controller-uid": uid, "job-name": name})
    tmpl = {"metadata": {"creationTimestamp": None, "labels": labels}, "spec": copy.deepcopy(spec)}
    md = c.meta(name, ns, at, labels={"batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": name,
                                      "controller-uid": uid, "job-name": name},
                annotations={"batch.kubernetes.io/cronjob-scheduled-timestamp": ts(at)}, owner=cj, generation=1)
    md["uid"] = uid
    jspec = {"parallelism": 1, "completions": 1, "activeDeadlineSeconds": 1800, "backoffLimit": 2,
             "selector": {"matchLabels": sel}, "manualSelector": False, "template": tmpl,
             "completionMode": "NonIndexed", "suspend": False, "podReplacementPolicy": "TerminatingOrFailed"}
    j = {"kind": "Job", "apiVersion": "batch/v1", "metadata": md, "spec": jspec, "status": {}}
    c.add(ns, "jobs", j)
    pods = []
    t = at + timedelta(seconds=1)
    node = c.nodes[c.rng.randint(0, 1)]
    for reason, code, dur in runs:
        pname = name + "-" + c.safe(5)
        st = t + timedelta(seconds=3)
        fin = st + timedelta(seconds=dur)
        cs = [cstatus(c, ct, terminated(reason, code, st, fin, c.container_id()), False, started=False)]
        if code == 0:
            conds = [B.cond("PodReadyToStartContainers", "False", fin), B.cond("Initialized", "True", t, "PodCompleted"),
                     B.cond("Ready", "False", fin, "PodCompleted"), B.cond("ContainersReady", "False", fin, "PodCompleted"),
                     B.cond("PodScheduled", "True", t)]
            phase = "Succeeded"
        else:
            conds = [B.cond("PodReadyToStartContainers", "False", fin), B.cond("Initialized", "True", t),
                     B.cond("Ready", "False", fin, "PodFailed"), B.cond("ContainersReady", "False", fin, "PodFailed"),
                     B.cond("PodScheduled", "True", t)]
            phase = "Failed"
        p = B.pod(c, ns, pname, j, tmpl, node, t, phase, conds, cs, generate_name=name + "-")
        p["metadata"]["finalizers"] = [] if False else p["metadata"].get("finalizers", [])
        if not p["metadata"]["finalizers"]:
            del p["metadata"]["finalizers"]
        pods.append(p)
        t = fin + timedelta(seconds=10 * (len(pods) ** 2))
    last_fin = datetime_of(pods[-1]["status"]["containerStatuses"][0]["state"]["terminated"]["finishedAt"])
    if succeeded:
        j["status"] = {"conditions": [
            {"type": "SuccessCriteriaMet", "status": "True", "lastProbeTime": ts(last_fin), "lastTransitionTime": ts(last_fin),
             "reason": "CompletionsReached", "message": "Reached expected number of succeeded pods"},
            {"type": "Complete", "status": "True", "lastProbeTime": ts(last_fin), "lastTransitionTime": ts(last_fin),
             "reason": "CompletionsReached", "message": "Reached expected number of succeeded pods"}],
            "startTime": ts(at), "completionTime": ts(last_fin), "succeeded": 1, "terminating": 0, "ready": 0,
            "uncountedTerminatedPods": {}}
    else:
        j["status"] = {"conditions": [
            {"type": "FailureTarget", "status": "True", "lastProbeTime": ts(last_fin), "lastTransitionTime": ts(last_fin),
             "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit"},
            {"type": "Failed", "status": "True", "lastProbeTime": ts(last_fin), "lastTransitionTime": ts(last_fin),
             "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit"}],
            "startTime": ts(at), "failed": len(runs), "terminating": 0, "ready": 0, "uncountedTerminatedPods": {}}
    return j, pods


def report_logs(c, start, ok):
    rng = c.rng
    t = start
    out = []
    hour = (start - timedelta(minutes=1)).strftime("%H")
    day = start.strftime("%Y/%m/%d")

    def log(level, logger, msg, dt=400):
        nonlocal t
        t += timedelta(milliseconds=rng.randint(5, dt))
        out.append(L.py_line(t, level, logger, msg))
    log("INFO", "report_builder.main", "report-builder 1.6.2 starting report=daily-sales window=%s:00-%s:59"
        % (hour, hour))
    log("DEBUG", "report_builder.config", "settings: bucket=acme-reports-prod region=eu-west-1 chunk_size=5000 "
        "database=postgresql://reporter:***@warehouse.data.svc:5432/warehouse")
    log("DEBUG", "botocore.credentials", "Found credentials in environment variables.")
    log("DEBUG", "report_builder.s3", "using access key AKIA4DEMO7QX2ZL5KT3N for s3://acme-reports-prod")
    log("INFO", "report_builder.db", "connected to warehouse (PostgreSQL 16.4), server_side_cursor=True")
    chunks = rng.randint(28, 40)
    for k in range(1, chunks + 1):
        log("DEBUG", "report_builder.extract", "fetched chunk %d/%d (5000 rows, %.2fs)" % (k, chunks, rng.random() + 0.2),
            900)
        if k % 9 == 0:
            log("INFO", "report_builder.extract", "progress %d%% (%d rows)" % (k * 100 // chunks, k * 5000))
    log("INFO", "report_builder.extract", "extracted %d rows from sales_events" % (chunks * 5000 - rng.randint(1, 4999)))
    out.append("/app/report_builder/transform.py:57: FutureWarning: DataFrame.groupby with axis=1 is deprecated. "
               "Do `frame.T.groupby(...)` without axis instead.")
    out.append("  wide = df.groupby(level=0, axis=1).sum()")
    for region in ["eu-west", "eu-central", "us-east", "us-west", "ap-south", "ap-northeast"]:
        log("INFO", "report_builder.transform", "aggregated region=%s orders=%d revenue=%.2f"
            % (region, rng.randint(1000, 30000), rng.random() * 900000))
    log("WARNING", "report_builder.transform", "12 rows with currency=null dropped")
    path = "/tmp/daily-sales-%sT%s.parquet" % (start.strftime("%Y-%m-%d"), hour)
    log("INFO", "report_builder.writer", "wrote %s (%d bytes)" % (path, rng.randint(2_000_000, 4_000_000)))
    key = "daily/%s/daily-sales-%s.parquet" % (day, hour)
    log("DEBUG", "botocore.endpoint", "Making request for OperationModel(name=PutObject) with params: "
        "{'url_path': '/%s', 'method': 'PUT', 'headers': {'User-Agent': 'Boto3/1.35.54 md/Botocore#1.35.54 "
        "ua/2.0 os/linux#5.10.227-219.884.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.7', 'Authorization': "
        "'AWS4-HMAC-SHA256 Credential=AKIA4DEMO7QX2ZL5KT3N/20261121/eu-west-1/s3/aws4_request, "
        "SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=%s'}}" % (key, c.hexs(64)))
    if ok:
        log("INFO", "report_builder.s3", "uploaded s3://acme-reports-prod/%s" % key)
        log("INFO", "report_builder.main", "done in %.1fs" % (t - start).total_seconds())
        return out
    err = ("An error occurred (AccessDenied) when calling the PutObject operation: User: "
           "arn:aws:iam::123456789012:user/report-builder is not authorized to perform: s3:PutObject on resource: "
           "\"arn:aws:s3:::acme-reports-prod/%s\" because no identity-based policy allows the s3:PutObject action"
           % key)
    log("DEBUG", "botocore.parsers", "Response body: b'<?xml version=\"1.0\" encoding=\"UTF-8\"?>\\n<Error><Code>"
        "AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/report-builder is not authorized to perform: "
        "s3:PutObject ...</Message></Error>'")
    log("ERROR", "report_builder.main", "report daily-sales failed: upload to s3://acme-reports-prod/%s failed" % key)
    out += ["Traceback (most recent call last):",
            '  File "/usr/local/lib/python3.12/site-packages/boto3/s3/transfer.py", line 372, in upload_file',
            "    future.result()",
            '  File "/usr/local/lib/python3.12/site-packages/s3transfer/futures.py", line 103, in result',
            "    return self._coordinator.result()",
            "           ^^^^^^^^^^^^^^^^^^^^^^^^^^",
            '  File "/usr/local/lib/python3.12/site-packages/s3transfer/futures.py", line 264, in result',
            "    raise self._exception",
            "botocore.exceptions.ClientError: " + err,
            "",
            "During handling of the above exception, another exception occurred:",
            "",
            "Traceback (most recent call last):",
            '  File "<frozen runpy>", line 198, in _run_module_as_main',
            '  File "<frozen runpy>", line 88, in _run_code',
            '  File "/app/report_builder/main.py", line 88, in <module>',
            "    main()",
            '  File "/app/report_builder/main.py", line 81, in main',
            "    upload(report_path, cfg.bucket, key)",
            '  File "/app/report_builder/s3.py", line 34, in upload',
            '    client.upload_file(path, bucket, key, ExtraArgs={"ServerSideEncryption": "aws:kms"})',
            '  File "/usr/local/lib/python3.12/site-packages/boto3/s3/inject.py", line 145, in upload_file',
            "    return transfer.upload_file(",
            "           ^^^^^^^^^^^^^^^^^^^^^",
            '  File "/usr/local/lib/python3.12/site-packages/boto3/s3/transfer.py", line 378, in upload_file',
            "    raise S3UploadFailedError(",
            "boto3.exceptions.S3UploadFailedError: Failed to upload %s to acme-reports-prod/%s: %s" % (path, key, err)]
    return out

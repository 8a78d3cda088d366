"""Namespace `payments` (has ResourceQuota compute-quota): payment-gateway (OOMKilled, rollout stuck), ledger
(init container db-migrate fails), fraud-scorer (scale-up blocked by quota)."""
from datetime import timedelta

import builders as B
import logs as L
import wl
from k8s import (NOW, ago, container, cstatus, env, env_cm, env_secret, http_probe, parse_mem, pod_spec, running,
                 template, terminated, ts, waiting)
from ns_shop import avail, progressed

NS = "payments"


def build(c, nodes, x):
    c.reseed(NS)
    B.namespace_basics(c, NS, ago(days=230))
    c.reseed(NS + "/gateway")
    gateway(c, nodes, x)
    c.reseed(NS + "/ledger")
    ledger(c, nodes, x)
    c.reseed(NS + "/fraud_scorer")
    fraud_scorer(c, nodes, x, quota_used(c))
    quota(c, quota_used(c))


def quota_used(c):
    mem = cpu = rmem = rcpu = 0
    pods = [p for p in c.lists[NS]["pods"] if p["status"]["phase"] not in ("Succeeded", "Failed")]
    for p in pods:
        def tot(section, key, conv):
            main = sum(conv(ct["resources"].get(section, {}).get(key, "0")) for ct in p["spec"]["containers"])
            init = max([conv(ct["resources"].get(section, {}).get(key, "0")) for ct in p["spec"].get("initContainers", [])] or [0])
            return max(main, init)
        mem += tot("limits", "memory", parse_mem)
        rmem += tot("requests", "memory", parse_mem)
        cpu += tot("limits", "cpu", cpu_m)
        rcpu += tot("requests", "cpu", cpu_m)
    return {"pods": len(pods), "limits.memory": mem, "requests.memory": rmem, "limits.cpu": cpu, "requests.cpu": rcpu}


def cpu_m(q):
    return int(q[:-1]) if q.endswith("m") else int(float(q) * 1000)


def fmt_mem(b):
    gi, mi = 1024 ** 3, 1024 ** 2
    return "%dGi" % (b // gi) if b % gi == 0 else "%dMi" % (b // mi)


def fmt_cpu(m):
    return str(m // 1000) if m % 1000 == 0 else "%dm" % m


def quota(c, used):
    hard = {"limits.cpu": "8", "limits.memory": "8Gi", "pods": "20", "requests.cpu": "4", "requests.memory": "10Gi"}
    u = {"limits.cpu": fmt_cpu(used["limits.cpu"]), "limits.memory": fmt_mem(used["limits.memory"]),
         "pods": str(used["pods"]), "requests.cpu": fmt_cpu(used["requests.cpu"]),
         "requests.memory": fmt_mem(used["requests.memory"])}
    c.add(NS, "resourcequotas", {"kind": "ResourceQuota", "apiVersion": "v1",
                                 "metadata": c.meta("compute-quota", NS, ago(days=120),
                                                    labels={"app.kubernetes.io/managed-by": "platform-team"}),
                                 "spec": {"hard": hard}, "status": {"hard": hard, "used": u}})


JVM_OPTS = "-XX:MaxRAMPercentage=90.0 -XX:+UseG1GC -Xlog:gc:stdout:uptime,level,tags"


# ---- payment-gateway -------------------------------------------------------------------------------------
def gateway(c, nodes, x):
    name, old_ver, ver = "payment-gateway", "3.7.2", "3.8.0"
    h_old, h = c.safe(10), c.safe(10)

    def spec_for(img, opts, cache):
        return pod_spec([container(
            "app", img, ports=[("http", 8080), ("management", 8081)], cpu_req="500m", cpu_lim="1", mem_req="1Gi",
            mem_lim="1Gi",
            env=[env("SPRING_PROFILES_ACTIVE", "prod"), env("JAVA_TOOL_OPTIONS", opts),
                 env("RATELIMIT_CACHE_WARMUP", cache),
                 env("SPRING_DATASOURCE_URL", "jdbc:postgresql://payments-db.payments.svc.cluster.local:5432/payments"),
                 env_secret("SPRING_DATASOURCE_PASSWORD", "payments-db", "password"),
                 env_secret("PSP_API_KEY", "psp-credentials", "api-key"),
                 env_cm("PSP_BASE_URL", "payment-gateway-config", "psp.baseUrl")],
            readiness=http_probe("/actuator/health/readiness", 8081, 20, 10),
            liveness=http_probe("/actuator/health/liveness", 8081, 60, 20))], sa="payment-gateway", grace=45)
    B.secret(c, NS, "payments-db", {"username": "payments", "password": "pAym3nts-db-2026"}, ago(days=230))
    B.secret(c, NS, "psp-credentials", {"api-key": "sk_live_51HdemoFAKEk3yN0tR3al0000000000000"}, ago(days=230))
    B.configmap(c, NS, "payment-gateway-config", {"psp.baseUrl": "https://api.psp.example.com/v2"}, ago(days=230))
    image, old_image = wl.ecr("payments/payment-gateway", ver), wl.ecr("payments/payment-gateway", old_ver)
    tmpl = template(wl.tmpl_labels(name, "payments", ver), spec_for(image, JVM_OPTS, "true"))
    old_t = template(wl.tmpl_labels(name, "payments", old_ver),
                     spec_for(old_image, "-XX:MaxRAMPercentage=70.0 -XX:+UseG1GC", "false"))
    rollout = ago(minutes=34)
    rs_name = name + "-" + h
    dep = B.deployment(c, NS, name, wl.labels(name, "payments", ver), tmpl, 2, ago(days=230), 15,
                       B.dep_status(3, 1, 2, 2, [avail(True, ago(days=8), ago(days=8)),
                                                 B.dcond("Progressing", "False", ago(minutes=24), ago(minutes=24),
                                                         "ProgressDeadlineExceeded",
                                                         'ReplicaSet "%s" has timed out progressing.' % rs_name)],
                                    unavailable=1),
                       strategy={"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}})
    old_rs = B.replicaset(c, dep, h_old, 14, 2, 2, 2, ago(days=8), old_t)
    rs = B.replicaset(c, dep, h, 15, 1, 0, 0, rollout)
    B.event(c, dep, "ScalingReplicaSet", "Scaled up replica set %s to 1" % rs_name, first=rollout,
            component="deployment-controller")
    for i, n in enumerate([nodes[0], nodes[1]]):
        p = wl.running_pod(c, NS, old_rs, n, ago(days=8, seconds=-90 * i))
        c.add_log(NS, p["metadata"]["name"], "app", gateway_logs_old(c, ago(hours=3, minutes=5)))
    n = nodes[1]
    host = n["metadata"]["name"]
    pname = wl.pod_name(c, rs)
    pc = rollout + timedelta(seconds=1)
    restarts = 7
    fin = ago(minutes=3, seconds=48)
    st = fin - timedelta(seconds=41)
    ct = tmpl["spec"]["containers"][0]
    cs = cstatus(c, ct, waiting("CrashLoopBackOff", "back-off 5m0s restarting failed container=app pod=%s(UID)" % pname),
                 False, restarts=restarts, last=terminated("OOMKilled", 137, st, fin, c.container_id()), started=False)
    p = B.pod(c, NS, pname, rs, tmpl, n, pc, "Running",
              B.conds_not_ready(pc, pc + timedelta(seconds=3), fin, ["app"]), [cs])
    cs["state"]["waiting"]["message"] = cs["state"]["waiting"]["message"].replace("UID", p["metadata"]["uid"])
    fp = "spec.containers{app}"
    B.event(c, p, "Scheduled", "Successfully assigned payments/%s to %s" % (pname, host), first=pc,
            component="default-scheduler")
    B.event(c, p, "Pulled", 'Container image "%s" already present on machine' % image, count=restarts + 1,
            first=pc + timedelta(seconds=1), last=st, host=host, field_path=fp)
    B.event(c, p, "Created", "Created container app", count=restarts + 1, first=pc + timedelta(seconds=1), last=st,
            host=host, field_path=fp)
    B.event(c, p, "Started", "Started container app", count=restarts + 1, first=pc + timedelta(seconds=1), last=st,
            host=host, field_path=fp)
    B.event(c, p, "Unhealthy", "Readiness probe failed: Get \"http://%s:8081/actuator/health/readiness\": dial tcp "
            "%s:8081: connect: connection refused" % (p["status"]["podIP"], p["status"]["podIP"]), "Warning", count=16,
            first=pc + timedelta(seconds=22), last=st + timedelta(seconds=21), host=host, field_path=fp)
    B.event(c, p, "BackOff", "Back-off restarting failed container app in pod %s_%s(%s)"
            % (pname, NS, p["metadata"]["uid"]), "Warning", count=58, first=pc + timedelta(minutes=2),
            last=ago(seconds=31), host=host, field_path=fp)
    c.add_log(NS, pname, "app", gateway_logs_oom(c, st))
    x.add(NS, "Deployment", name, [
        x.f("OOMKilled", True, "app", "OOMKilled", "137"),
        x.f("RolloutStuck", False, None, "ProgressDeadlineExceeded")],
        "Release 3.8.0 raises MaxRAMPercentage to 90 and warms a rate-limit cache at startup; with a 1Gi limit the "
        "container is OOMKilled (exit 137) ~40s after start, 7 restarts. Rollout 3.7.2 -> 3.8.0 is stuck "
        "(maxUnavailable 0): the two 3.7.2 pods keep serving. The log just stops mid-warmup (kernel OOM kill).")


def gateway_logs_old(c, start):
    rng = c.rng
    noise = L.spring_noise(rng, "payment-gateway", "c.a.payments", "PaymentController", start, ago(seconds=2),
                           rng.randint(750, 900), paths=["/api/v2/payments", "/api/v2/payments/{id}",
                                                         "/api/v2/payments/{id}/capture", "/api/v2/refunds"])
    for t in L.times(rng, start, ago(seconds=5), 40):
        noise.append((t, [L.spring_line(t, "INFO", "payment-gateway", "psp-client-%d" % rng.randint(1, 4),
                                        "c.a.payments.psp.PspClient",
                                        "PSP authorize ok: payment=%s amount=%d.%02d EUR latency=%dms"
                                        % (L.rid(rng)[:13], rng.randint(5, 900), rng.randint(0, 99), rng.randint(80, 400)))]))
    return L.merge(noise, [])


def gateway_logs_oom(c, start):
    rng = c.rng
    app = "payment-gateway"
    out = ["Picked up JAVA_TOOL_OPTIONS: " + JVM_OPTS,
           "[0.006s][info][gc] Using G1"]
    dec, t = L.spring_startup(rng, start + timedelta(milliseconds=700), app, "PaymentGatewayApplication", "3.8.0",
                              extra=[("INFO", "c.a.payments.config.MemoryReport",
                                      "JVM max heap 921 MiB (MaxRAMPercentage=90.0, container memory limit 1024 MiB)")],
                              db_url="jdbc:postgresql://payments-db.payments.svc.cluster.local:5432/payments")
    body = []
    for tt, ls in dec:
        body.extend(ls)
    up = 1.9
    heap = 180
    loaded = 0
    tt = t
    while loaded < 1_400_000:
        tt += timedelta(milliseconds=rng.randint(300, 900))
        up += rng.random() * 0.8 + 0.2
        loaded += rng.randint(40_000, 90_000)
        heap = min(905, heap + rng.randint(20, 60))
        body.append(L.spring_line(tt, "INFO", app, "cache-warmup-1", "c.a.payments.ratelimit.CacheWarmer",
                                  "Warming rate-limit cache: %d/2000000 merchant windows loaded" % loaded))
        if rng.random() < 0.7:
            body.append("[%.3fs][info][gc] GC(%d) Pause Young (Normal) (G1 Evacuation Pause) %dM->%dM(%dM) %.3fms"
                        % (up + 9, int(up * 3), heap, heap - rng.randint(5, 30), 921, rng.random() * 60 + 8))
        if rng.random() < 0.25:
            body.append(L.spring_line(tt, "INFO", app, "http-nio-8081-exec-%d" % rng.randint(1, 3),
                                      "c.a.payments.health.WarmupIndicator",
                                      "readiness=REFUSING_TRAFFIC reason=cache warmup in progress"))
    body.append("[%.3fs][info][gc] GC(%d) Pause Young (Concurrent Start) (G1 Humongous Allocation) 903M->899M(921M) "
                "71.402ms" % (up + 10, int(up * 3) + 1))
    body.append("[%.3fs][info][gc] GC(%d) Concurrent Mark Cycle" % (up + 10, int(up * 3) + 2))
    return out + body


# ---- ledger: init container db-migrate fails -------------------------------------------------------------
def ledger(c, nodes, x):
    name, old_ver, ver = "ledger", "1.21.3", "1.22.0"
    h_old, h = c.safe(10), c.safe(10)

    def spec_for(v):
        img = wl.ecr("payments/ledger", v)
        mig = container("db-migrate", wl.ecr("payments/ledger-migrations", v), cpu_req="100m", cpu_lim="500m",
                        mem_req="256Mi", mem_lim="256Mi", command=["/flyway/migrate.sh"],
                        env=[env("FLYWAY_URL", "jdbc:postgresql://ledger-db.payments.svc.cluster.local:5432/ledger"),
                             env_secret("FLYWAY_USER", "ledger-db", "username"),
                             env_secret("FLYWAY_PASSWORD", "ledger-db", "password")])
        app = container("ledger", img, ports=[("http", 8080)], cpu_req="250m", cpu_lim="1", mem_req="768Mi",
                        mem_lim="1Gi", env=[env("SPRING_PROFILES_ACTIVE", "prod"),
                                            env_secret("SPRING_DATASOURCE_PASSWORD", "ledger-db", "password")],
                        readiness=http_probe("/actuator/health/readiness", 8080, 20, 10),
                        liveness=http_probe("/actuator/health/liveness", 8080, 60, 20))
        return pod_spec([app], init_containers=[mig], sa="ledger")
    B.secret(c, NS, "ledger-db", {"username": "ledger", "password": "l3dger-Db-pw"}, ago(days=190))
    tmpl = template(wl.tmpl_labels(name, "payments", ver), spec_for(ver))
    old_t = template(wl.tmpl_labels(name, "payments", old_ver), spec_for(old_ver))
    rollout = ago(minutes=22)
    rs_name = name + "-" + h
    dep = B.deployment(c, NS, name, wl.labels(name, "payments", ver), tmpl, 1, ago(days=190), 7,
                       B.dep_status(2, 1, 1, 1, [avail(True, ago(days=15), ago(days=15)),
                                                 B.dcond("Progressing", "True", rollout, ago(days=190), "ReplicaSetUpdated",
                                                         'ReplicaSet "%s" is progressing.' % rs_name)], unavailable=1),
                       progress_deadline=1800,
                       strategy={"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}})
    old_rs = B.replicaset(c, dep, h_old, 6, 1, 1, 1, ago(days=15), old_t)
    rs = B.replicaset(c, dep, h, 7, 1, 0, 0, rollout)
    op = wl.running_pod(c, NS, old_rs, nodes[0], ago(days=15))
    # the old pod's init container completed long ago
    op["status"]["initContainerStatuses"] = [cstatus(c, old_t["spec"]["initContainers"][0], terminated(
        "Completed", 0, ago(days=15, seconds=-2), ago(days=15, seconds=-9), c.container_id()), True, started=False)]
    c.add_log(NS, op["metadata"]["name"], "db-migrate", flyway_ok(ago(days=15, seconds=-3)))
    c.add_log(NS, op["metadata"]["name"], "ledger", ledger_logs(c, ago(hours=3)))
    n = nodes[1]
    host = n["metadata"]["name"]
    pname = wl.pod_name(c, rs)
    pc = rollout + timedelta(seconds=1)
    restarts = 9
    fin = ago(minutes=1, seconds=52)
    st = fin - timedelta(seconds=4)
    mig = tmpl["spec"]["initContainers"][0]
    ics = cstatus(c, mig, waiting("CrashLoopBackOff", "back-off 5m0s restarting failed container=db-migrate pod=%s(UID)"
                                  % pname), False, restarts=restarts, last=terminated("Error", 1, st, fin, c.container_id()),
                  started=False)
    acs = cstatus(c, tmpl["spec"]["containers"][0], waiting("PodInitializing"), False, started=False, pulled=False)
    p = B.pod(c, NS, pname, rs, tmpl, n, pc, "Pending",
              B.conds_not_ready(pc, pc + timedelta(seconds=2), pc, ["ledger"], init_ok=False,
                                init_pending=["db-migrate"]), [acs], init_statuses=[ics])
    ics["state"]["waiting"]["message"] = ics["state"]["waiting"]["message"].replace("UID", p["metadata"]["uid"])
    fp = "spec.initContainers{db-migrate}"
    B.event(c, p, "Scheduled", "Successfully assigned payments/%s to %s" % (pname, host), first=pc,
            component="default-scheduler")
    B.event(c, p, "Pulled", 'Container image "%s" already present on machine' % mig["image"], count=restarts + 1,
            first=pc + timedelta(seconds=1), last=st, host=host, field_path=fp)
    B.event(c, p, "Created", "Created container db-migrate", count=restarts + 1, first=pc + timedelta(seconds=1),
            last=st, host=host, field_path=fp)
    B.event(c, p, "Started", "Started container db-migrate", count=restarts + 1, first=pc + timedelta(seconds=1),
            last=st, host=host, field_path=fp)
    B.event(c, p, "BackOff", "Back-off restarting failed container db-migrate in pod %s_%s(%s)"
            % (pname, NS, p["metadata"]["uid"]), "Warning", count=84, first=pc + timedelta(seconds=20),
            last=ago(seconds=17), host=host, field_path=fp)
    c.add_log(NS, pname, "db-migrate", flyway_fail(st))
    c.add_log(NS, pname, "ledger", ['Request log error: container "ledger" in pod "%s" is waiting to start: '
                                    "PodInitializing" % pname])
    x.add(NS, "Deployment", name, [
        x.f("InitContainerFailure", True, "db-migrate", 'relation "settlement_batches" does not exist')],
        "New pod stuck in Init:CrashLoopBackOff: Flyway migration V42 references table settlement_batches, which "
        "does not exist (exit 1, 9 restarts). The 1.21.3 pod keeps serving; rollout still within its 30-minute "
        "deadline.")


def flyway_head(t):
    return ["%s waiting for ledger-db.payments.svc.cluster.local:5432 ..." % ts(t),
            "%s ledger-db.payments.svc.cluster.local:5432 is accepting connections" % ts(t),
            "%s running: flyway -connectRetries=5 migrate" % ts(t),
            "Flyway OSS Edition 10.21.0 by Redgate", "", "See release notes here: https://rd.gt/416ObMi",
            "Database: jdbc:postgresql://ledger-db.payments.svc.cluster.local:5432/ledger (PostgreSQL 15.8)"]


def flyway_ok(t):
    return flyway_head(t) + ['Successfully validated 41 migrations (execution time 00:00.071s)',
                             'Current version of schema "public": 40',
                             'Migrating schema "public" to version "41 - add ledger entry currency"',
                             'Successfully applied 1 migration to schema "public", now at version v41 (execution time '
                             '00:00.212s)']


def flyway_fail(t):
    return flyway_head(t) + [
        "Successfully validated 42 migrations (execution time 00:00.084s)",
        'Current version of schema "public": 41',
        'Migrating schema "public" to version "42 - add settlement batch index"',
        'WARNING: DB: index "idx_ledger_entries_account" already exists, skipping (SQL State: 42P07 - Error Code: 0)',
        'ERROR: Migration of schema "public" to version "42 - add settlement batch index" failed! Changes '
        "successfully rolled back.",
        "ERROR: Migration V42__add_settlement_batch_index.sql failed",
        "-----------------------------------------------------",
        "SQL State  : 42P01",
        "Error Code : 0",
        'Message    : ERROR: relation "settlement_batches" does not exist',
        "  Location: File: namespace.c, Routine: RangeVarGetRelidExtended, Line: 434",
        "  Server SQLState: 42P01",
        "Location   : db/migration/V42__add_settlement_batch_index.sql "
        "(/flyway/sql/db/migration/V42__add_settlement_batch_index.sql)",
        "Line       : 3",
        "Statement  : CREATE INDEX idx_settlement_batches_batch_id ON settlement_batches (batch_id)",
        "",
        "Caused by: Migration V42__add_settlement_batch_index.sql failed",
        "-----------------------------------------------------",
        "SQL State  : 42P01",
        "Error Code : 0",
        'Message    : ERROR: relation "settlement_batches" does not exist',
        "  Location: File: namespace.c, Routine: RangeVarGetRelidExtended, Line: 434",
        "  Server SQLState: 42P01",
        "Location   : db/migration/V42__add_settlement_batch_index.sql "
        "(/flyway/sql/db/migration/V42__add_settlement_batch_index.sql)",
        "Line       : 3",
        "Statement  : CREATE INDEX idx_settlement_batches_batch_id ON settlement_batches (batch_id)",
        "",
        "Caused by: org.postgresql.util.PSQLException: ERROR: relation \"settlement_batches\" does not exist",
        "%s migration failed, exit code 1" % ts(t + timedelta(seconds=4))]


def ledger_logs(c, start):
    rng = c.rng
    return L.merge(L.spring_noise(rng, "ledger", "c.a.ledger", "LedgerController", start, ago(seconds=3),
                                  rng.randint(600, 750), paths=["/api/v1/entries", "/api/v1/accounts/{id}/balance",
                                                                "/api/v1/settlements"]), [])


# ---- fraud-scorer: scaled to 3, quota allows 1 -------------------------------------------------------------------
def fraud_scorer(c, nodes, x, used):
    name, ver = "fraud-scorer", "0.9.4"
    h = c.safe(10)
    image = wl.ecr("payments/fraud-scorer", ver)
    spec = pod_spec([container("scorer", image, ports=[("grpc", 9000), ("metrics", 9100)], cpu_req="500m",
                               cpu_lim="1", mem_req="1536Mi", mem_lim="2Gi",
                               env=[env("MODEL_PATH", "/models/fraud-xgb-2026-11.bin"), env("GRPC_PORT", "9000"),
                                    env_cm("SCORE_THRESHOLD", "fraud-scorer-config", "threshold")],
                               readiness=http_probe("/readyz", 9100, 10, 10), liveness=http_probe("/healthz", 9100, 15, 20),
                               mounts=[{"name": "models", "mountPath": "/models", "readOnly": True}])],
                    volumes=[{"name": "models", "emptyDir": {"sizeLimit": "2Gi"}}], sa="fraud-scorer")
    B.configmap(c, NS, "fraud-scorer-config", {"threshold": "0.82"}, ago(days=40))
    tmpl = template(wl.tmpl_labels(name, "payments", ver), spec)
    scaled = ago(minutes=26)
    rs_name = name + "-" + h
    lim_used = used["limits.memory"] + 2 * 1024 ** 3  # the running scorer pod is created below
    msg = ('pods "%s-%s" is forbidden: exceeded quota: compute-quota, requested: limits.memory=2Gi, used: '
           'limits.memory=%s, limited: limits.memory=8Gi' % (rs_name, c.safe(5), fmt_mem(lim_used)))
    dep = B.deployment(c, NS, name, wl.labels(name, "payments", ver), tmpl, 3, ago(days=40), 4,
                       B.dep_status(1, 1, 1, 1, [avail(False, scaled, scaled),
                                                 progressed(rs_name, ago(days=12), ago(days=40)),
                                                 B.dcond("ReplicaFailure", "True", scaled, scaled, "FailedCreate", msg)],
                                    unavailable=2))
    rs = B.replicaset(c, dep, h, 4, 1, 1, 1, ago(days=12))
    rs["spec"]["replicas"] = 3
    rs["metadata"]["annotations"]["deployment.kubernetes.io/desired-replicas"] = "3"
    rs["status"]["conditions"] = [{"type": "ReplicaFailure", "status": "True", "lastTransitionTime": ts(scaled),
                                   "reason": "FailedCreate", "message": msg}]
    p = wl.running_pod(c, NS, rs, nodes[0], ago(days=12))
    c.add_log(NS, p["metadata"]["name"], "scorer", scorer_logs(c, ago(hours=2, minutes=50)))
    B.event(c, dep, "ScalingReplicaSet", "Scaled up replica set %s to 3 from 1" % rs_name, first=scaled,
            component="deployment-controller")
    B.event(c, rs, "FailedCreate", "Error creating: " + msg, "Warning", first=scaled, component="replicaset-controller")
    msg2 = msg.replace(msg.split('"')[1], rs_name + "-" + c.safe(5))
    B.event(c, rs, "FailedCreate", "(combined from similar events): Error creating: " + msg2, "Warning", count=17,
            first=scaled + timedelta(seconds=1), last=ago(minutes=2, seconds=40), component="replicaset-controller")
    x.add(NS, "Deployment", name, [
        x.f("QuotaExceeded", True, None, "exceeded quota: compute-quota", "limits.memory=8Gi")],
        "Scaled from 1 to 3 replicas, but ResourceQuota compute-quota (limits.memory 8Gi, 7Gi used) rejects every "
        "new 2Gi pod: ReplicaSet FailedCreate events, Deployment ReplicaFailure=True, 1/3 available.")


def scorer_logs(c, start):
    rng = c.rng
    noise = []
    for t in L.times(rng, start, ago(seconds=2), rng.randint(650, 800)):
        r = rng.random()
        if r < 0.8:
            s = rng.random()
            noise.append((t, [L.logfmt(t, "INFO", "scored", method="/fraud.v1.Scorer/Score", txn=L.rid(rng)[:18],
                                       score="%.3f" % s, decision="review" if s > 0.82 else "approve",
                                       latency_ms="%.1f" % (rng.random() * 9 + 1))]))
        elif r < 0.93:
            noise.append((t, [L.logfmt(t, "DEBUG", "feature lookup", source="redis", hit="true" if rng.random() < 0.9
                                       else "false", ms=rng.randint(0, 4))]))
        elif r < 0.99:
            noise.append((t, [L.logfmt(t, "INFO", "model stats", model="fraud-xgb-2026-11", p50_ms="2.1", p99_ms="8.7",
                                       qps=rng.randint(40, 90))]))
        else:
            noise.append((t, [L.logfmt(t, "WARN", "feature missing, using default", feature="device_age_days",
                                       txn=L.rid(rng)[:18])]))
    return L.merge(noise, [])

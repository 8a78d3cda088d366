"""Namespace `shop`: web (healthy), cart (CrashLoopBackOff), checkout (CreateContainerConfigError), catalog
(readiness 503 / dependency refused / Service without ready endpoints), catalog-db (Service selecting nothing),
recommendations (bad image tag), frontend (HPA at max), orders (DB password rejected, pod ready)."""
from datetime import timedelta

import builders as B
import logs as L
import wl
from k8s import (NOW, ago, container, cstatus, env, env_cm, env_field, env_secret, http_probe, pod_spec, running,
                 template, terminated, ts, waiting)

NS = "shop"


def build(c, nodes, x):
    c.reseed(NS)
    B.namespace_basics(c, NS, ago(days=262))
    c.reseed(NS + "/web")
    web(c, nodes, x)
    c.reseed(NS + "/cart")
    cart(c, nodes, x)
    c.reseed(NS + "/checkout")
    checkout(c, nodes, x)
    c.reseed(NS + "/catalog")
    catalog(c, nodes, x)
    c.reseed(NS + "/recommendations")
    recommendations(c, nodes, x)
    c.reseed(NS + "/frontend")
    frontend(c, nodes, x)
    c.reseed(NS + "/orders")
    orders(c, nodes, x)


def avail(ok, when, since=None):
    if ok:
        return B.dcond("Available", "True", when, since or when, "MinimumReplicasAvailable",
                       "Deployment has minimum availability.")
    return B.dcond("Available", "False", when, since or when, "MinimumReplicasUnavailable",
                   "Deployment does not have minimum availability.")


def progressed(rs_name, when, since=None):
    return B.dcond("Progressing", "True", when, since or when, "NewReplicaSetAvailable",
                   'ReplicaSet "%s" has successfully progressed.' % rs_name)


# ---- web: healthy nginx front -------------------------------------------------------------------------------
def web(c, nodes, x):
    name, ver = "web", "1.27.2"
    h_old, h = c.safe(10), c.safe(10)
    ct = container("nginx", "nginxinc/nginx-unprivileged:1.27.2-alpine", ports=[("http", 8080)], cpu_req="50m",
                   mem_req="64Mi", mem_lim="128Mi", readiness=http_probe("/healthz", 8080, 3, 10),
                   liveness=http_probe("/healthz", 8080, 10, 20),
                   mounts=[{"name": "conf", "mountPath": "/etc/nginx/conf.d", "readOnly": True},
                           {"name": "cache", "mountPath": "/var/cache/nginx"}])
    spec = pod_spec([ct], volumes=[{"name": "conf", "configMap": {"name": "web-nginx", "defaultMode": 420}},
                                   {"name": "cache", "emptyDir": {"sizeLimit": "512Mi"}}])
    tmpl = template(wl.tmpl_labels(name, "shop", ver), spec, {"checksum/config": c.hexs(64)})
    B.configmap(c, NS, "web-nginx", {"default.conf": "server {\n  listen 8080;\n  location /healthz { return 200; }\n"
                                     "  location /api/ { proxy_pass http://frontend.shop.svc.cluster.local; }\n"
                                     "  location / { root /usr/share/nginx/html; try_files $uri /index.html; }\n}\n"},
                ago(days=140), wl.labels(name, "shop", ver, "frontend"))
    rs_name = name + "-" + h
    dep = B.deployment(c, NS, name, wl.labels(name, "shop", ver, "frontend"), tmpl, 3, ago(days=140), 7,
                       B.dep_status(3, 3, 3, 3, [avail(True, ago(days=9, hours=2)),
                                                 progressed(rs_name, ago(days=9, hours=2), ago(days=140))]))
    old_t = template(wl.tmpl_labels(name, "shop", "1.27.1"), spec, {"checksum/config": c.hexs(64)})
    B.replicaset(c, dep, h_old, 6, 0, 0, 0, ago(days=38), old_t)
    rs = B.replicaset(c, dep, h, 7, 3, 3, 3, ago(days=9, hours=2))
    pods = []
    for i, n in enumerate([nodes[0], nodes[1], nodes[0]]):
        created = ago(days=9, hours=2, seconds=-20 * i)
        p = wl.running_pod(c, NS, rs, n, created)
        pods.append(p)
        c.add_log(NS, p["metadata"]["name"], "nginx", web_logs(c, n))
    svc = B.service(c, NS, name, wl.labels(name, "shop", ver, "frontend"), {"app.kubernetes.io/name": name},
                    [("http", 80, 8080)], ago(days=140), "10.100.61.20")
    B.endpoints(c, svc, pods, ago(days=9, hours=2))
    x.add(NS, "Deployment", name, [], "Healthy: 3/3 ready nginx pods behind Service web (3 ready endpoints); "
          "logs contain harmless nginx [warn] lines about buffering upstream responses.", healthy=True)


def web_logs(c, node):
    rng = c.rng
    paths = ["/", "/index.html", "/static/js/main.8c1f2a.js", "/static/css/main.41d0e2.css", "/favicon.ico",
             "/static/media/logo.5d5d9eef.svg", "/products/%d" % rng.randint(100, 999), "/cart", "/healthz",
             "/api/v1/products?page=2", "/robots.txt"]
    alb = ["10.0.%d.%d" % (rng.choice([17, 34, 51]), rng.randint(5, 250)) for _ in range(4)]
    noise = []
    for t in L.times(rng, ago(hours=3, minutes=20), ago(seconds=5), rng.randint(600, 800)):
        if rng.random() < 0.012:
            noise.append((t, [L.nginx_error(t, "warn", "*%d an upstream response is buffered to a temporary file "
                                            "/var/cache/nginx/proxy_temp/%d/%02d/00000%05d while reading upstream, "
                                            "client: %s, server: _, request: \"GET /api/v1/products?page=%d HTTP/1.1\", "
                                            "upstream: \"http://10.100.44.9:80/api/v1/products?page=%d\", host: "
                                            "\"shop.example.com\"" % (rng.randint(1000, 90000), rng.randint(1, 9),
                                                                       rng.randint(0, 99), rng.randint(0, 99999),
                                                                       rng.choice(alb), rng.randint(1, 40), rng.randint(1, 40)))]))
        else:
            noise.append((t, [L.nginx_access(rng, t, rng.choice(alb), paths)]))
    return L.merge(noise, [])


# ---- cart: CrashLoopBackOff, missing env var -----------------------------------------------------------------------
def cart(c, nodes, x):
    name, ver = "cart", "1.9.0"
    h = c.safe(10)
    image = wl.ecr("shop/cart", ver)
    ct = container("cart", image, ports=[("http", 3000)], cpu_req="100m", mem_req="192Mi", mem_lim="384Mi",
                   env=[env("NODE_ENV", "production"), env("PORT", "3000"),
                        env_cm("REDIS_HOST", "cart-config", "redis.host"),
                        env("KAFKA_BROKERS", "kafka-0.kafka.platform:9092,kafka-1.kafka.platform:9092"),
                        env_cm("CART_TTL_SECONDS", "cart-config", "cart.ttlSeconds"),
                        env_field("POD_NAME", "metadata.name")],
                   readiness=http_probe("/ready", 3000, 5, 10), liveness=http_probe("/live", 3000, 15, 20))
    spec = pod_spec([ct])
    tmpl = template(wl.tmpl_labels(name, "shop", ver), spec)
    B.configmap(c, NS, "cart-config", {"redis.host": "redis-0.redis.data.svc.cluster.local", "cart.ttlSeconds": "86400"},
                ago(days=80), wl.labels(name, "shop", ver))
    rs_name = name + "-" + h
    rollout = ago(minutes=38)
    dep = B.deployment(c, NS, name, wl.labels(name, "shop", ver), tmpl, 2, ago(days=80), 12,
                       B.dep_status(2, 2, 0, 0, [B.dcond("Progressing", "False", ago(minutes=28), ago(minutes=28),
                                                         "ProgressDeadlineExceeded",
                                                         'ReplicaSet "%s" has timed out progressing.' % rs_name),
                                                 avail(False, rollout, rollout)]),
                       strategy={"type": "Recreate"})
    old_t = template(wl.tmpl_labels(name, "shop", "1.8.4"), spec)
    old_rs = B.replicaset(c, dep, c.safe(10), 11, 0, 0, 0, ago(days=12), old_t)
    rs = B.replicaset(c, dep, h, 12, 2, 0, 0, rollout)
    pods = []
    for i, n in enumerate([nodes[1], nodes[0]]):
        created = rollout + timedelta(seconds=2 + i)
        pname = wl.pod_name(c, rs)
        restarts = 11 - i
        fin = ago(minutes=2, seconds=10 + 37 * i)
        st = fin - timedelta(seconds=2)
        cs = cstatus(c, ct, waiting("CrashLoopBackOff", "back-off 5m0s restarting failed container=cart pod=%s(%s)"
                                    % (pname, "UID")), False, restarts=restarts,
                     last=terminated("Error", 1, st, fin, c.container_id()), started=False)
        p = B.pod(c, NS, pname, rs, tmpl, n, created, "Running",
                  B.conds_not_ready(created, created + timedelta(seconds=3), created + timedelta(seconds=3), ["cart"]),
                  [cs])
        cs["state"]["waiting"]["message"] = cs["state"]["waiting"]["message"].replace("UID", p["metadata"]["uid"])
        pods.append(p)
        host = n["metadata"]["name"]
        fp = "spec.containers{cart}"
        B.event(c, p, "Scheduled", "Successfully assigned shop/%s to %s" % (pname, host), first=created,
                component="default-scheduler")
        B.event(c, p, "Pulling", 'Pulling image "%s"' % image, first=created + timedelta(seconds=1), host=host, field_path=fp)
        B.event(c, p, "Pulled", 'Successfully pulled image "%s" in 3.912s (3.912s including waiting). Image size: '
                "61823417 bytes." % image, first=created + timedelta(seconds=5), host=host, field_path=fp)
        B.event(c, p, "Pulled", 'Container image "%s" already present on machine' % image, count=restarts,
                first=created + timedelta(seconds=40), last=st, host=host, field_path=fp)
        B.event(c, p, "Created", "Created container cart", count=restarts + 1, first=created + timedelta(seconds=5),
                last=st, host=host, field_path=fp)
        B.event(c, p, "Started", "Started container cart", count=restarts + 1, first=created + timedelta(seconds=5),
                last=st, host=host, field_path=fp)
        B.event(c, p, "BackOff", "Back-off restarting failed container cart in pod %s_%s(%s)"
                % (pname, NS, p["metadata"]["uid"]), "Warning", count=restarts * 9 + 4,
                first=created + timedelta(seconds=9), last=ago(seconds=20 + i * 7), host=host, field_path=fp)
        c.add_log(NS, pname, "cart", cart_logs(c, pname, st))
    B.event(c, dep, "ScalingReplicaSet", "Scaled down replica set %s to 0 from 2" % old_rs["metadata"]["name"],
            first=rollout - timedelta(seconds=1), component="deployment-controller")
    B.event(c, dep, "ScalingReplicaSet", "Scaled up replica set %s to 2" % rs_name, first=rollout,
            component="deployment-controller")
    svc = B.service(c, NS, name, wl.labels(name, "shop", ver), {"app.kubernetes.io/name": name},
                    [("http", 80, 3000)], ago(days=80), "10.100.87.145")
    B.endpoints(c, svc, pods, rollout)
    x.add(NS, "Deployment", name, [
        x.f("CrashLoopBackOff", True, "cart", "Missing required environment variable REDIS_URL", "1"),
        x.f("RolloutStuck", False, None, "ProgressDeadlineExceeded"),
        x.f("ServiceNoEndpoints", False, None, "cart")],
        "Release 1.9.0 reads REDIS_URL but the Deployment only sets REDIS_HOST; the process exits 1 at bootstrap "
        "(line buried before shutdown lines). Recreate strategy: both pods crash, rollout exceeded its deadline and "
        "Service cart has only notReadyAddresses. An AppError finding quoting the same line is also acceptable.")


def cart_logs(c, host, start):
    rng = c.rng
    t = start
    out = []

    def log(level, msg, dt=15, **kv):
        nonlocal t
        t += timedelta(milliseconds=rng.randint(1, dt))
        out.append(L.pino(t, level, host, msg, **kv))

    log("info", "cart-service 1.9.0 starting", node="v20.18.0", env="production", commit="a91f3c2")
    log("info", "loading configuration", sources=["/app/config/default.json", "/app/config/production.json", "env"])
    out.append("(node:1) [DEP0040] DeprecationWarning: The `punycode` module is deprecated. Please use a userland "
               "alternative instead.")
    out.append("(Use `node --trace-deprecation ...` to show where the warning was created)")
    for mod in ["@opentelemetry/instrumentation-http", "@opentelemetry/instrumentation-fastify",
                "@opentelemetry/instrumentation-ioredis", "@opentelemetry/instrumentation-kafkajs",
                "@opentelemetry/instrumentation-pino", "@opentelemetry/instrumentation-dns",
                "@opentelemetry/instrumentation-net", "@opentelemetry/instrumentation-undici"]:
        log("debug", "instrumentation enabled", module=mod)
    log("info", "opentelemetry sdk started", exporter="otlp", endpoint="http://otel-collector.platform:4318")
    for k, v in [("server.port", 3000), ("server.bodyLimit", 1048576), ("server.trustProxy", True),
                 ("cart.ttlSeconds", 86400), ("cart.maxLineQuantity", 99), ("cart.currency", "EUR"),
                 ("cart.mergeOnLogin", True), ("pricing.url", "http://pricing.shop.svc.cluster.local"),
                 ("pricing.timeoutMs", 800), ("pricing.retries", 2), ("catalog.url", "http://catalog.shop.svc.cluster.local"),
                 ("catalog.timeoutMs", 600), ("redis.host", "redis-0.redis.data.svc.cluster.local"),
                 ("redis.keyPrefix", "cart:"), ("kafka.topic", "cart.events"), ("kafka.acks", -1),
                 ("metrics.enabled", True), ("log.level", "debug"), ("shutdown.graceMs", 10000)]:
        log("debug", "config", key=k, value=v)
    log("debug", "feature flags loaded", flags={"guestCheckout": True, "cartMerge": True, "promoEngineV2": False})
    log("info", "prometheus metrics registered", prefix="cart_", count=37)
    for m, u in [("GET", "/api/v1/cart"), ("POST", "/api/v1/cart/items"), ("PATCH", "/api/v1/cart/items/:id"),
                 ("DELETE", "/api/v1/cart/items/:id"), ("POST", "/api/v1/cart/merge"), ("GET", "/api/v1/cart/summary"),
                 ("POST", "/api/v1/cart/promo"), ("DELETE", "/api/v1/cart/promo"), ("GET", "/ready"), ("GET", "/live"),
                 ("GET", "/metrics")]:
        log("debug", "route registered", method=m, url=u)
    log("warn", "config key cart.maxItems not set, using default", default=200)
    log("info", "connecting to kafka", brokers=["kafka-0.kafka.platform:9092", "kafka-1.kafka.platform:9092"],
        clientId=host)
    log("info", "kafka producer connected", dt=400)
    log("debug", "validating environment", required=["REDIS_URL", "KAFKA_BROKERS", "CART_TTL_SECONDS"])
    t += timedelta(milliseconds=3)
    out.append(L.pino(t, "fatal", host, "fatal error during bootstrap", err={
        "type": "Error", "message": "Missing required environment variable REDIS_URL",
        "stack": "Error: Missing required environment variable REDIS_URL\n    at requireEnv (/app/dist/config/env.js:18:15)"
                 "\n    at loadConfig (/app/dist/config/index.js:42:22)\n    at bootstrap (/app/dist/main.js:27:18)"
                 "\n    at Object.<anonymous> (/app/dist/main.js:91:1)\n    at Module._compile (node:internal/modules/cjs/loader:1546:14)"}))
    log("info", "shutting down", reason="bootstrap failed")
    log("info", "kafka producer disconnected", dt=120)
    log("info", "opentelemetry sdk shut down", dt=60)
    log("info", "process exiting", code=1)
    return out


# ---- checkout: CreateContainerConfigError (secret key missing) --------------------------------------------------
def checkout(c, nodes, x):
    name, ver = "checkout", "3.2.0"
    h = c.safe(10)
    image = wl.ecr("shop/checkout", ver)
    ct = container("checkout", image, ports=[("http", 8000)], cpu_req="200m", mem_req="256Mi", mem_lim="512Mi",
                   env=[env("DB_HOST", "checkout-db.shop.svc.cluster.local"),
                        env_secret("DB_USER", "checkout-db", "DB_USER"),
                        env_secret("DB_PASSWORD", "checkout-db", "DB_PASSWORD"),
                        env_cm("PAYMENTS_URL", "checkout-config", "payments.url"),
                        env("GUNICORN_WORKERS", "3")],
                   readiness=http_probe("/health/ready", 8000, 5, 10), liveness=http_probe("/health/live", 8000, 20, 20))
    spec = pod_spec([ct], sa="checkout")
    tmpl = template(wl.tmpl_labels(name, "shop", ver), spec)
    created = ago(minutes=41)
    B.secret(c, NS, "checkout-db", {"DB_USER": "checkout", "DB_PASS": "Ch3ck0ut-Pr0d-2026!", "DB_HOST": "checkout-db"},
             created - timedelta(minutes=3), labels=wl.labels(name, "shop", ver))
    B.configmap(c, NS, "checkout-config", {"payments.url": "http://payment-gateway.payments.svc.cluster.local:8080"},
                created - timedelta(minutes=3), wl.labels(name, "shop", ver))
    rs_name = name + "-" + h
    dep = B.deployment(c, NS, name, wl.labels(name, "shop", ver), tmpl, 2, created, 1,
                       B.dep_status(2, 2, 0, 0, [avail(False, created, created),
                                                 B.dcond("Progressing", "False", ago(minutes=31), ago(minutes=31),
                                                         "ProgressDeadlineExceeded",
                                                         'ReplicaSet "%s" has timed out progressing.' % rs_name)]))
    rs = B.replicaset(c, dep, h, 1, 2, 0, 0, created)
    B.event(c, dep, "ScalingReplicaSet", "Scaled up replica set %s to 2" % rs_name, first=created,
            component="deployment-controller")
    msg = "couldn't find key DB_PASSWORD in Secret shop/checkout-db"
    for i, n in enumerate([nodes[0], nodes[1]]):
        pname = wl.pod_name(c, rs)
        pc = created + timedelta(seconds=1)
        cs = cstatus(c, ct, waiting("CreateContainerConfigError", msg), False, started=False)
        p = B.pod(c, NS, pname, rs, tmpl, n, pc, "Pending",
                  B.conds_not_ready(pc, pc + timedelta(seconds=2), pc, ["checkout"]), [cs])
        host = n["metadata"]["name"]
        fp = "spec.containers{checkout}"
        B.event(c, p, "Scheduled", "Successfully assigned shop/%s to %s" % (pname, host), first=pc,
                component="default-scheduler")
        B.event(c, p, "Pulling", 'Pulling image "%s"' % image, first=pc + timedelta(seconds=1), host=host, field_path=fp)
        B.event(c, p, "Pulled", 'Successfully pulled image "%s" in 5.202s (5.202s including waiting). Image size: '
                "148200113 bytes." % image, first=pc + timedelta(seconds=6), host=host, field_path=fp)
        B.event(c, p, "Failed", "Error: " + msg, "Warning", count=191 - 3 * i, first=pc + timedelta(seconds=7),
                last=ago(seconds=11 + 5 * i), host=host, field_path=fp)
        B.event(c, p, "Pulled", 'Container image "%s" already present on machine' % image, count=190 - 3 * i,
                first=pc + timedelta(seconds=20), last=ago(seconds=11 + 5 * i), host=host, field_path=fp)
        c.add_log(NS, pname, "checkout", ['Request log error: container "checkout" in pod "%s" is waiting to start: '
                                          "CreateContainerConfigError" % pname])
    x.add(NS, "Deployment", name, [
        x.f("ContainerConfigError", True, "checkout", "DB_PASSWORD", "checkout-db"),
        x.f("RolloutStuck", False, None, "ProgressDeadlineExceeded")],
        "env DB_PASSWORD references key DB_PASSWORD of Secret checkout-db, which only has DB_USER, DB_PASS, DB_HOST. "
        "Both pods stay Pending in CreateContainerConfigError; kubelet event 'Error: couldn't find key DB_PASSWORD "
        "in Secret shop/checkout-db'.")


# ---- catalog: readiness 503 because the database is unreachable; Service without ready endpoints ---------------
DB_IP = "10.100.23.7"


def catalog(c, nodes, x):
    name, ver = "catalog", "4.7.1"
    h = c.safe(10)
    image = wl.ecr("shop/catalog", ver)
    ct = container("catalog", image, ports=[("http", 8080), ("metrics", 9090)], cpu_req="250m", mem_req="128Mi",
                   mem_lim="256Mi", cpu_lim="1",
                   env=[env("DATABASE_HOST", "catalog-db.shop.svc.cluster.local"), env("DATABASE_PORT", "5432"),
                        env("DATABASE_NAME", "catalog"), env_secret("DATABASE_USER", "catalog-db-credentials", "username"),
                        env_secret("DATABASE_PASSWORD", "catalog-db-credentials", "password"),
                        env("LOG_FORMAT", "json"), env("GOMAXPROCS", "1")],
                   readiness=http_probe("/healthz/ready", 8080, 5, 10), liveness=http_probe("/healthz/live", 8080, 10, 20))
    spec = pod_spec([ct])
    tmpl = template(wl.tmpl_labels(name, "shop", ver), spec, {"prometheus.io/scrape": "true", "prometheus.io/port": "9090"})
    B.secret(c, NS, "catalog-db-credentials", {"username": "catalog", "password": "cat-4l0g-db-pw"}, ago(days=90))
    created = ago(hours=2, minutes=12)
    down = ago(hours=1, minutes=13)
    rs_name = name + "-" + h
    dep = B.deployment(c, NS, name, wl.labels(name, "shop", ver), tmpl, 2, ago(days=90), 23,
                       B.dep_status(2, 2, 0, 0, [progressed(rs_name, created + timedelta(seconds=40), created),
                                                 avail(False, down + timedelta(seconds=31), down + timedelta(seconds=31))]))
    B.replicaset(c, dep, c.safe(10), 22, 0, 0, 0, ago(days=6), template(wl.tmpl_labels(name, "shop", "4.7.0"), spec))
    rs = B.replicaset(c, dep, h, 23, 2, 0, 0, created)
    pods = []
    for i, n in enumerate([nodes[1], nodes[0]]):
        pc = created + timedelta(seconds=3 + 25 * i)
        p = wl.running_pod(c, NS, rs, n, pc, ready=False, ready_at=down + timedelta(seconds=30 + i))
        pods.append(p)
        pname = p["metadata"]["name"]
        B.event(c, p, "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", "Warning",
                count=437 - i, first=down + timedelta(seconds=8 + i), last=ago(seconds=4 + i), host=n["metadata"]["name"],
                field_path="spec.containers{catalog}")
        c.add_log(NS, pname, "catalog", catalog_logs(c, pc + timedelta(seconds=4), down, i))
    svc = B.service(c, NS, name, wl.labels(name, "shop", ver), {"app.kubernetes.io/name": name},
                    [("http", 80, 8080)], ago(days=90), "10.100.44.9")
    B.endpoints(c, svc, pods, down + timedelta(seconds=31))
    db = B.service(c, NS, "catalog-db", wl.labels("catalog-db", "shop", "15.8", "database"),
                   {"app.kubernetes.io/name": "catalog-db", "app.kubernetes.io/instance": "catalog-db"},
                   [("postgresql", 5432, 5432)], ago(days=90), DB_IP)
    B.endpoints(c, db, [], down)
    x.add(NS, "Deployment", name, [
        x.f("ServiceNoEndpoints", True, None, "catalog-db"),
        x.f("AppError", False, "catalog", "dial tcp 10.100.23.7:5432: connect: connection refused"),
        x.f("ProbeFailure", False, "catalog", "Readiness probe failed", "503"),
        x.f("ServiceNoEndpoints", False, None, "catalog")],
        "Both pods Running, restartCount 0, not ready since 08:47: /healthz/ready returns 503 because the Postgres "
        "Service catalog-db (10.100.23.7) has no endpoints, so connections are refused. Service catalog lists the two "
        "pods under notReadyAddresses only.")
    x.add(NS, "Service", name, [
        x.f("ServiceNoEndpoints", False, None, "catalog"),
        x.f("AppError", False, "catalog", "dial tcp 10.100.23.7:5432: connect: connection refused"),
        x.f("ServiceNoEndpoints", True, None, "catalog-db")],
        "Asked about the Service: it has no ready endpoints (both pods under notReadyAddresses); the cause lives in "
        "its pods: readiness fails because the database connection is refused.")
    x.add(NS, "Service", "catalog-db", [x.f("ServiceNoEndpoints", True, None, "catalog-db")],
          "Selector app.kubernetes.io/name=catalog-db,app.kubernetes.io/instance=catalog-db matches no pod in shop "
          "(the database pods are gone); this is why catalog's connections to 10.100.23.7:5432 are refused.")


def catalog_logs(c, start, down, idx):
    rng = c.rng
    noise, dec = [], []
    paths = ["/api/v1/products", "/api/v1/products/{id}", "/api/v1/categories", "/api/v1/search?q={q}"]
    # normal traffic until the DB goes away
    dec.append((start, [L.go_json(start, "INFO", "starting catalog service", version="4.7.1", go="go1.23.3",
                                  commit="5e0c1d2"),
                        L.go_json(start + timedelta(milliseconds=4), "INFO", "config loaded", db_host="catalog-db.shop.svc.cluster.local",
                                  db_port=5432, db_name="catalog", pool_max_conns=10, cache_ttl="5m0s"),
                        L.go_json(start + timedelta(milliseconds=41), "INFO", "database connected", pool_max_conns=10,
                                  server_version="15.8"),
                        L.go_json(start + timedelta(milliseconds=44), "INFO", "http server listening", addr=":8080"),
                        L.go_json(start + timedelta(milliseconds=45), "INFO", "metrics server listening", addr=":9090")]))
    for t in L.times(rng, start + timedelta(seconds=1), down, rng.randint(500, 600)):
        r = rng.random()
        if r < 0.86:
            p = L.path(rng, paths)
            st = rng.choices([200, 304, 404, 400], [85, 8, 5, 2])[0]
            noise.append((t, [L.go_json(t, "INFO", "request", method="GET", path=p, status=st,
                                        duration_ms=round(rng.random() * 25 + 0.4, 2), bytes=rng.randint(120, 24000),
                                        request_id=L.rid(rng))]))
        elif r < 0.93:
            noise.append((t, [L.go_json(t, "DEBUG", "db pool stats", total_conns=10, idle_conns=rng.randint(4, 10),
                                        acquired_conns=rng.randint(0, 6), acquire_count=rng.randint(10000, 90000))]))
        elif r < 0.975:
            noise.append((t, [L.go_json(t, "INFO", "cache refreshed", entries=rng.randint(4000, 4200),
                                        took=str(rng.randint(40, 300)) + "ms")]))
        else:
            noise.append((t, [L.go_json(t, "WARN", "slow query", query="ListProductsByCategory",
                                        duration_ms=rng.randint(500, 1500), threshold_ms=500)]))
    # the database goes away: in-flight requests fail, then only probes arrive (pod removed from endpoints)
    err = "dial tcp %s:5432: connect: connection refused" % DB_IP
    pgx = ("failed to connect to `user=catalog database=catalog`: %s:5432 (catalog-db.shop.svc.cluster.local): "
           "dial error: %s" % (DB_IP, err))
    t0 = down + timedelta(milliseconds=rng.randint(0, 900))
    dec.append((t0, [L.go_json(t0, "ERROR", "query failed", query="ListProductsByCategory",
                               err="FATAL: terminating connection due to administrator command (SQLSTATE 57P01)"),
                     L.go_json(t0 + timedelta(milliseconds=3), "ERROR", "request", method="GET",
                               path="/api/v1/products", status=500, duration_ms=2.1, request_id=L.rid(rng))]))
    for k in range(6):
        t = t0 + timedelta(seconds=1 + k * 3, milliseconds=rng.randint(0, 900))
        noise.append((t, [L.go_json(t, "ERROR", "request", method="GET", path=L.path(rng, paths), status=503,
                                    duration_ms=round(rng.random() * 3, 2), request_id=L.rid(rng),
                                    err="acquire connection: " + pgx)]))
    t = down + timedelta(seconds=4 + idx)
    attempt = 0
    backoff = 1
    while t < NOW:
        # readiness probe every 10s
        noise.append((t, [L.go_json(t, "WARN", "readiness check failed", check="database", err=pgx),
                          L.go_json(t + timedelta(milliseconds=1), "INFO", "request", method="GET", path="/healthz/ready",
                                    status=503, duration_ms=round(rng.random() + 0.3, 2), user_agent="kube-probe/1.30")]))
        if rng.random() < 0.5:
            tl = t + timedelta(seconds=3)
            noise.append((tl, [L.go_json(tl, "DEBUG", "request", method="GET", path="/healthz/live", status=200,
                                         duration_ms=0.08, user_agent="kube-probe/1.30")]))
        t += timedelta(seconds=10, milliseconds=rng.randint(-40, 40))
    t = down + timedelta(seconds=2)
    while t < NOW:
        attempt += 1
        dec.append((t, [L.go_json(t, "ERROR", "database ping failed", attempt=attempt, err=err,
                                  db_host="catalog-db.shop.svc.cluster.local:5432"),
                        L.go_json(t + timedelta(milliseconds=1), "INFO", "retrying database connection",
                                  backoff="%ds" % backoff)]))
        t += timedelta(seconds=backoff)
        backoff = min(backoff * 2, 30)
    return L.merge(noise, dec)


# ---- recommendations: rollout to an image tag that does not exist ----------------------------------------------
def recommendations(c, nodes, x):
    name, old_ver, ver = "recommendations", "2.4.0", "2.4.1-rc"
    h_old, h = c.safe(10), c.safe(10)
    old_image, image = wl.ecr("shop/recommendations", old_ver), wl.ecr("shop/recommendations", ver)

    def spec_for(img):
        return pod_spec([container("recommendations", img, ports=[("http", 8000)], cpu_req="300m", mem_req="512Mi",
                                   mem_lim="1Gi", env=[env("MODEL_BUCKET", "s3://acme-ml-models/recs/"),
                                                       env("UVICORN_WORKERS", "2"),
                                                       env_cm("FEATURE_STORE_URL", "recommendations-config", "featureStore.url")],
                                   readiness=http_probe("/healthz", 8000, 10, 10),
                                   liveness=http_probe("/healthz", 8000, 30, 30))], sa="recommendations")
    B.configmap(c, NS, "recommendations-config", {"featureStore.url": "http://feature-store.data.svc.cluster.local:6566"},
                ago(days=60))
    tmpl, old_t = template(wl.tmpl_labels(name, "shop", ver), spec_for(image)), \
        template(wl.tmpl_labels(name, "shop", old_ver), spec_for(old_image))
    rollout = ago(minutes=7)
    rs_name = name + "-" + h
    dep = B.deployment(c, NS, name, wl.labels(name, "shop", ver), tmpl, 2, ago(days=60), 9,
                       B.dep_status(3, 1, 2, 2, [avail(True, ago(days=4), ago(days=4)),
                                                 B.dcond("Progressing", "True", rollout, ago(days=60), "ReplicaSetUpdated",
                                                         'ReplicaSet "%s" is progressing.' % rs_name)], unavailable=1))
    old_rs = B.replicaset(c, dep, h_old, 8, 2, 2, 2, ago(days=4), old_t)
    rs = B.replicaset(c, dep, h, 9, 1, 0, 0, rollout)
    B.event(c, dep, "ScalingReplicaSet", "Scaled up replica set %s to 1" % rs_name, first=rollout,
            component="deployment-controller")
    for i, n in enumerate([nodes[0], nodes[1]]):
        p = wl.running_pod(c, NS, old_rs, n, ago(days=4, seconds=-30 * i))
        c.add_log(NS, p["metadata"]["name"], "recommendations", recs_logs(c, ago(hours=2, minutes=40)))
    n = nodes[1]
    host = n["metadata"]["name"]
    pname = wl.pod_name(c, rs)
    pc = rollout + timedelta(seconds=1)
    ct = tmpl["spec"]["containers"][0]
    cs = cstatus(c, ct, waiting("ImagePullBackOff", 'Back-off pulling image "%s"' % image), False, started=False,
                 pulled=False)
    p = B.pod(c, NS, pname, rs, tmpl, n, pc, "Pending",
              B.conds_not_ready(pc, pc + timedelta(seconds=2), pc, ["recommendations"]), [cs])
    fp = "spec.containers{recommendations}"
    nf = ('Failed to pull image "{i}": rpc error: code = NotFound desc = failed to pull and unpack image "{i}": '
          'failed to resolve reference "{i}": {i}: not found').format(i=image)
    B.event(c, p, "Scheduled", "Successfully assigned shop/%s to %s" % (pname, host), first=pc, component="default-scheduler")
    B.event(c, p, "Pulling", 'Pulling image "%s"' % image, count=6, first=pc + timedelta(seconds=1),
            last=ago(minutes=1, seconds=29), host=host, field_path=fp)
    B.event(c, p, "Failed", nf, "Warning", count=6, first=pc + timedelta(seconds=2), last=ago(minutes=1, seconds=29),
            host=host, field_path=fp)
    B.event(c, p, "Failed", "Error: ErrImagePull", "Warning", count=6, first=pc + timedelta(seconds=2),
            last=ago(minutes=1, seconds=29), host=host, field_path=fp)
    B.event(c, p, "BackOff", 'Back-off pulling image "%s"' % image, count=27, first=pc + timedelta(seconds=3),
            last=ago(seconds=13), host=host, field_path=fp)
    B.event(c, p, "Failed", "Error: ImagePullBackOff", "Warning", count=27, first=pc + timedelta(seconds=3),
            last=ago(seconds=13), host=host, field_path=fp)
    c.add_log(NS, pname, "recommendations", ['Request log error: container "recommendations" in pod "%s" is waiting '
                                             "to start: trying and failing to pull image" % pname])
    x.add(NS, "Deployment", name, [
        x.f("ImagePullError", True, "recommendations", "2.4.1-rc", "not found")],
        "Rollout to tag 2.4.1-rc, which does not exist in ECR: the new pod is in ImagePullBackOff; the two 2.4.0 pods "
        "keep serving (Deployment still Available, Progressing=True within its deadline).")


def recs_logs(c, start):
    rng = c.rng
    noise = []
    for t in L.times(rng, start, ago(seconds=3), rng.randint(700, 900)):
        r = rng.random()
        if r < 0.72:
            uid = rng.randint(10000, 999999)
            st = rng.choices(["200 OK", "404 Not Found", "422 Unprocessable Entity"], [95, 3, 2])[0]
            noise.append((t, ['INFO:     10.0.%d.%d:%d - "GET /v1/recommendations?user_id=%d&limit=12 HTTP/1.1" %s'
                              % (rng.choice([17, 34]), rng.randint(5, 250), rng.randint(30000, 65000), uid, st)]))
        elif r < 0.80:
            noise.append((t, ['INFO:     10.0.%d.%d:%d - "GET /healthz HTTP/1.1" 200 OK'
                              % (rng.choice([17, 34]), rng.randint(5, 250), rng.randint(30000, 65000))]))
        elif r < 0.93:
            noise.append((t, [L.py_line(t, "INFO", "recs.ranker", "ranked %d candidates for user %d in %.1fms"
                                        % (rng.randint(80, 400), rng.randint(10000, 999999), rng.random() * 40 + 3))]))
        elif r < 0.985:
            noise.append((t, [L.py_line(t, "DEBUG", "recs.features", "feature cache hit ratio %.2f"
                                        % (0.8 + rng.random() * 0.19))]))
        else:
            noise.append((t, [L.py_line(t, "WARNING", "recs.features",
                                        "feature store timeout after 150ms, serving popularity fallback for user %d"
                                        % rng.randint(10000, 999999))]))
    return L.merge(noise, [])


# ---- frontend: HPA pinned at maxReplicas -----------------------------------------------------------------------
def frontend(c, nodes, x):
    name, ver = "frontend", "5.12.3"
    h = c.safe(10)
    image = wl.ecr("shop/frontend", ver)
    spec = pod_spec([container("frontend", image, ports=[("http", 3000)], cpu_req="250m", mem_req="256Mi",
                               mem_lim="512Mi", env=[env("NODE_ENV", "production"),
                                                     env("API_BASE_URL", "http://catalog.shop.svc.cluster.local"),
                                                     env_secret("SESSION_SECRET", "frontend-session", "secret")],
                               readiness=http_probe("/api/health", 3000, 5, 10),
                               liveness=http_probe("/api/health", 3000, 20, 20))])
    B.secret(c, NS, "frontend-session", {"secret": "f7c1e2b9d04a4e8fa0b6c3d2e1f0a9b8"}, ago(days=200))
    tmpl = template(wl.tmpl_labels(name, "shop", ver), spec)
    rs_name = name + "-" + h
    dep = B.deployment(c, NS, name, wl.labels(name, "shop", ver, "frontend"), tmpl, 6, ago(days=200), 31,
                       B.dep_status(6, 6, 6, 6, [avail(True, ago(minutes=52), ago(days=5)),
                                                 progressed(rs_name, ago(days=5), ago(days=5))]))
    rs = B.replicaset(c, dep, h, 31, 6, 6, 6, ago(days=5))
    up1, up2 = ago(minutes=57), ago(minutes=53)
    B.event(c, dep, "ScalingReplicaSet", "Scaled up replica set %s to 4 from 2" % rs_name, first=up1,
            component="deployment-controller")
    B.event(c, dep, "ScalingReplicaSet", "Scaled up replica set %s to 6 from 4" % rs_name, first=up2,
            component="deployment-controller")
    placement = [(nodes[0], ago(days=5)), (nodes[1], ago(days=5, seconds=-40)), (nodes[0], up1), (nodes[1], up1),
                 (nodes[0], up2), (nodes[1], up2)]
    for n, pc in placement:
        p = wl.running_pod(c, NS, rs, n, pc + timedelta(seconds=1))
        if pc > ago(hours=1):
            wl.pod_events_started(c, p, n, pc + timedelta(seconds=1), "frontend", image, pulled=False)
        c.add_log(NS, p["metadata"]["name"], "frontend",
                  frontend_logs(c, p["metadata"]["name"], max(pc, ago(hours=2, minutes=30)), pc > ago(hours=1)))
    svc = B.service(c, NS, name, wl.labels(name, "shop", ver, "frontend"), {"app.kubernetes.io/name": name},
                    [("http", 80, 3000)], ago(days=200), "10.100.12.201")
    B.endpoints(c, svc, c.lists[NS]["pods"][-6:], up2 + timedelta(seconds=14))
    hpa = {"kind": "HorizontalPodAutoscaler", "apiVersion": "autoscaling/v2",
           "metadata": c.meta(name, NS, ago(days=200), labels=wl.labels(name, "shop", ver, "frontend")),
           "spec": {"scaleTargetRef": {"kind": "Deployment", "name": name, "apiVersion": "apps/v1"},
                    "minReplicas": 2, "maxReplicas": 6,
                    "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization",
                                                                                          "averageUtilization": 60}}}],
                    "behavior": {"scaleUp": {"stabilizationWindowSeconds": 0, "selectPolicy": "Max",
                                             "policies": [{"type": "Pods", "value": 4, "periodSeconds": 15},
                                                          {"type": "Percent", "value": 100, "periodSeconds": 15}]},
                                 "scaleDown": {"stabilizationWindowSeconds": 300, "selectPolicy": "Max",
                                               "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}]}}},
           "status": {"lastScaleTime": ts(up2), "currentReplicas": 6, "desiredReplicas": 6,
                      "currentMetrics": [{"type": "Resource", "resource": {"name": "cpu", "current": {
                          "averageValue": "460m", "averageUtilization": 184}}}],
                      "conditions": [
                          {"type": "AbleToScale", "status": "True", "lastTransitionTime": ts(up2 + timedelta(minutes=5)),
                           "reason": "ReadyForNewScale", "message": "recommended size matches current size"},
                          {"type": "ScalingActive", "status": "True", "lastTransitionTime": ts(ago(days=200)),
                           "reason": "ValidMetricFound", "message": "the HPA was able to successfully calculate a "
                           "replica count from cpu resource utilization (percentage of request)"},
                          {"type": "ScalingLimited", "status": "True", "lastTransitionTime": ts(up2),
                           "reason": "TooManyReplicas",
                           "message": "the desired replica count is more than the maximum replica count"}]}}
    c.add(NS, "horizontalpodautoscalers", hpa)
    B.event(c, hpa, "SuccessfulRescale", "New size: 4; reason: cpu resource utilization (percentage of request) above "
            "target", first=up1, component="horizontal-pod-autoscaler")
    B.event(c, hpa, "SuccessfulRescale", "New size: 6; reason: cpu resource utilization (percentage of request) above "
            "target", first=up2, component="horizontal-pod-autoscaler")
    x.add(NS, "Deployment", name, [x.f("HPALimited", True, None, "TooManyReplicas", "184")],
          "HPA frontend is at maxReplicas 6 with CPU at 184% of requests against a 60% target (ScalingLimited=True, "
          "TooManyReplicas). Pods are all Running and ready; severity warning, not critical.")


def frontend_logs(c, host, start, fresh):
    rng = c.rng
    noise, dec = [], []
    if fresh:
        dec.append((start, ["  \u25b2 Next.js 14.2.15", "  - Local:        http://localhost:3000",
                            "  - Network:      http://0.0.0.0:3000", "", " \u2713 Starting...",
                            " \u2713 Ready in %dms" % rng.randint(300, 900)]))
    pages = ["/", "/products/%d", "/category/%s", "/cart", "/search?q=%s", "/api/health", "/api/products?page=%d"]
    for t in L.times(rng, start + timedelta(seconds=2), ago(seconds=2), rng.randint(380, 480) if fresh else rng.randint(700, 850)):
        r = rng.random()
        if r < 0.9:
            pg = rng.choice(pages)
            if "%d" in pg:
                pg = pg % rng.randint(1, 9999)
            elif "%s" in pg:
                pg = pg % rng.choice(L.QUERIES)
            slow = t > ago(hours=1, minutes=2)
            noise.append((t, [L.pino(t, "info", host, "request completed", req={"id": rng.randint(1, 10 ** 6),
                                                                                 "method": "GET", "url": pg},
                                     res={"statusCode": rng.choices([200, 304, 404], [90, 7, 3])[0]},
                                     responseTime=rng.randint(80, 900) if slow else rng.randint(8, 120))]))
        elif r < 0.97:
            noise.append((t, [L.pino(t, "debug", host, "upstream call", upstream="catalog", ms=rng.randint(3, 40))]))
        else:
            noise.append((t, [L.pino(t, "warn", host, "event loop delay above threshold",
                                     p99Ms=rng.randint(200, 380), thresholdMs=200)]))
    return L.merge(noise, dec)


# ---- orders: Running and ready, but every DB connection is rejected (password rotated) -------------------------
PG_STACK = ["org.postgresql.core.v3.ConnectionFactoryImpl.doAuthentication(ConnectionFactoryImpl.java:693)",
            "org.postgresql.core.v3.ConnectionFactoryImpl.tryConnect(ConnectionFactoryImpl.java:203)",
            "org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:258)",
            "org.postgresql.core.ConnectionFactory.openConnection(ConnectionFactory.java:54)",
            "org.postgresql.jdbc.PgConnection.<init>(PgConnection.java:263)",
            "org.postgresql.Driver.makeConnection(Driver.java:443)",
            "org.postgresql.Driver.connect(Driver.java:297)",
            "com.zaxxer.hikari.util.DriverDataSource.getConnection(DriverDataSource.java:137)",
            "com.zaxxer.hikari.pool.PoolBase.newConnection(PoolBase.java:360)",
            "com.zaxxer.hikari.pool.PoolBase.newPoolEntry(PoolBase.java:202)",
            "com.zaxxer.hikari.pool.HikariPool.createPoolEntry(HikariPool.java:461)",
            "com.zaxxer.hikari.pool.HikariPool$PoolEntryCreator.call(HikariPool.java:724)",
            "com.zaxxer.hikari.pool.HikariPool$PoolEntryCreator.call(HikariPool.java:703)",
            "java.base/java.util.concurrent.FutureTask.run(FutureTask.java:317)",
            "java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1144)",
            "java.base/java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:642)",
            "java.base/java.lang.Thread.run(Thread.java:1583)"]
PW_FAIL = 'FATAL: password authentication failed for user "orders"'


def orders(c, nodes, x):
    name, ver = "orders", "2.14.0"
    h = c.safe(10)
    image = wl.ecr("shop/orders", ver)
    spec = pod_spec([container(
        "orders", image, ports=[("http", 8080), ("management", 8081)], cpu_req="500m", mem_req="768Mi", mem_lim="1Gi",
        env=[env("SPRING_PROFILES_ACTIVE", "prod"), env("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=75.0"),
             env("SPRING_DATASOURCE_URL", "jdbc:postgresql://db:5432/orders"),
             env_secret("SPRING_DATASOURCE_USERNAME", "orders-db", "username"),
             env_secret("SPRING_DATASOURCE_PASSWORD", "orders-db", "password"),
             env_cm("KAFKA_BOOTSTRAP_SERVERS", "orders-config", "kafka.bootstrap")],
        readiness=http_probe("/actuator/health/readiness", 8081, 20, 10),
        liveness=http_probe("/actuator/health/liveness", 8081, 60, 20),
        startup=http_probe("/actuator/health/liveness", 8081, 10, 5, failure=30))], sa="orders")
    tmpl = template(wl.tmpl_labels(name, "shop", ver), spec)
    B.secret(c, NS, "orders-db", {"username": "orders", "password": "N3w-R0tated-Pw!2026",
                                  "url": "postgres://orders:S3cr3tP4ss@db:5432/orders"}, ago(days=150),
             labels={"app.kubernetes.io/name": "orders", "secrets-rotation/last-rotated": "2026-11-21T07-12-00Z"})
    B.configmap(c, NS, "orders-config", {"kafka.bootstrap": "kafka-0.kafka.platform:9092,kafka-1.kafka.platform:9092"},
                ago(days=150))
    ext = B.service(c, NS, "db", {"app.kubernetes.io/name": "orders-db"}, {}, [("postgresql", 5432, 5432)],
                    ago(days=150), "")
    ext["spec"] = {"type": "ExternalName", "externalName": "orders-prod.c9xk2m1f4abc.eu-west-1.rds.amazonaws.com",
                   "ports": [{"name": "postgresql", "protocol": "TCP", "port": 5432, "targetPort": 5432}],
                   "sessionAffinity": "None"}
    rs_name = name + "-" + h
    dep = B.deployment(c, NS, name, wl.labels(name, "shop", ver), tmpl, 2, ago(days=150), 18,
                       B.dep_status(2, 2, 2, 2, [avail(True, ago(days=3), ago(days=3)),
                                                 progressed(rs_name, ago(days=3), ago(days=3))]))
    rs = B.replicaset(c, dep, h, 18, 2, 2, 2, ago(days=3, hours=2))
    pods = []
    for i, n in enumerate([nodes[0], nodes[1]]):
        p = wl.running_pod(c, NS, rs, n, ago(days=3, hours=2, seconds=-50 * i), ready_at=ago(days=3, hours=1, minutes=59))
        pods.append(p)
        c.add_log(NS, p["metadata"]["name"], "orders", orders_logs(c, ago(hours=4, minutes=12), i))
    svc = B.service(c, NS, name, wl.labels(name, "shop", ver), {"app.kubernetes.io/name": name},
                    [("http", 80, 8080)], ago(days=150), "10.100.91.33")
    B.endpoints(c, svc, pods, ago(days=3, hours=2))
    x.add(NS, "Deployment", name, [x.f("AppError", True, "orders", PW_FAIL)],
          "Pods are Running and ready (readiness does not check the DB) but since 07:41 every new JDBC connection is "
          "rejected: the DB password was rotated at 07:12 and the Secret orders-db no longer matches. Logs repeat "
          "the PSQLException with stack traces; one line prints the connection string "
          "postgres://orders:S3cr3tP4ss@db:5432/orders (redaction test).")


def orders_logs(c, start, idx):
    rng = c.rng
    app, pkg = "orders", "c.a.orders"
    broken = ago(hours=2, minutes=19)
    noise = L.spring_noise(rng, app, pkg, "OrderController", start, broken, rng.randint(600, 700),
                           paths=["/api/v1/orders", "/api/v1/orders/{id}", "/api/v1/orders/{id}/status",
                                  "/api/v1/customers/{id}/orders"])
    dec = []
    t = broken + timedelta(seconds=rng.randint(1, 20))
    dec.append((t, [L.spring_line(t, "WARN", app, "onnection adder", "com.zaxxer.hikari.pool.HikariPool",
                                  "HikariPool-1 - Pool is empty, failed to create/setup connection (%s)" % L.rid(rng))]
                + L.java_stack("org.postgresql.util.PSQLException: " + PW_FAIL, PG_STACK)))
    t2 = t + timedelta(milliseconds=40)
    dec.append((t2, [L.spring_line(t2, "ERROR", app, "scheduling-1", pkg + ".db.ConnectionDiagnostics",
                                   "Database check failed for postgres://orders:S3cr3tP4ss@db:5432/orders: " + PW_FAIL)]))
    for tt in L.times(rng, t + timedelta(seconds=5), ago(seconds=2), rng.randint(60, 80)):
        th = "http-nio-8080-exec-%d" % rng.randint(1, 10)
        kind = rng.random()
        if kind < 0.55:
            lines = [L.spring_line(tt, "WARN", app, th, "o.h.engine.jdbc.spi.SqlExceptionHelper", "SQL Error: 0, SQLState: 28P01"),
                     L.spring_line(tt, "ERROR", app, th, "o.h.engine.jdbc.spi.SqlExceptionHelper", PW_FAIL),
                     L.spring_line(tt, "ERROR", app, th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                                   "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw "
                                   "exception [Request processing failed: org.springframework.transaction."
                                   "CannotCreateTransactionException: Could not open JPA EntityManager for transaction] "
                                   "with root cause")]
            lines += L.java_stack("org.postgresql.util.PSQLException: " + PW_FAIL, PG_STACK)
        elif kind < 0.8:
            lines = [L.spring_line(tt, "WARN", app, "onnection adder", "com.zaxxer.hikari.pool.HikariPool",
                                   "HikariPool-1 - Pool is empty, failed to create/setup connection (%s)" % L.rid(rng))]
            lines += L.java_stack("org.postgresql.util.PSQLException: " + PW_FAIL, PG_STACK[:8])
            lines.append("\t... 9 more")
        else:
            lines = [L.spring_line(tt, "ERROR", app, "scheduling-1", pkg + ".jobs.OutboxPublisher",
                                   "Outbox publish cycle failed: Unable to acquire JDBC Connection "
                                   "[HikariPool-1 - Connection is not available, request timed out after 30000ms "
                                   "(total=0, active=0, idle=0, waiting=%d)] [n/a]" % rng.randint(0, 6))]
        dec.append((tt, lines))
    # unaffected traffic (health, cached reads) continues
    noise += [(tt, [L.spring_line(tt, "INFO", app, "http-nio-8080-exec-%d" % rng.randint(1, 10),
                                  pkg + ".web.OrderController", "GET /api/v1/orders/%d/status -> 200 (%d ms) [cache]"
                                  % (rng.randint(1000, 99999), rng.randint(1, 4)))])
              for tt in L.times(rng, broken, ago(seconds=1), rng.randint(250, 320))]
    return L.merge(noise, dec)

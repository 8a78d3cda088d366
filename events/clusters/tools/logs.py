"""Realistic container log generators (Spring Boot, Go slog JSON / logfmt, Node pino, nginx, Python, Redis,
Fluent Bit). Each style knows how to format one entry; `merge` interleaves seeded noise with the decisive
entries of a scenario, by time, so the decisive lines end up buried among ordinary traffic."""
from datetime import timedelta, timezone

PATHS_SHOP = ["/api/v1/products", "/api/v1/products/{id}", "/api/v1/cart", "/api/v1/cart/items",
              "/api/v1/orders", "/api/v1/orders/{id}", "/api/v1/search?q={q}", "/api/v1/categories"]
QUERIES = ["shoes", "jacket", "usb-c+cable", "coffee", "lamp", "desk", "socks", "backpack"]
UAS = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
       "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
       "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
       "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0", "kube-probe/1.30",
       "okhttp/4.12.0", "Go-http-client/1.1"]


def iso_ms(t):
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


def times(rng, start, end, n):
    span = (end - start).total_seconds()
    return sorted(start + timedelta(seconds=rng.random() * span) for _ in range(n))


def merge(noise, decisive):
    """noise/decisive: lists of (time, [lines]). Returns the flat list of lines ordered by time (stable)."""
    allv = [(t, 0, i, ls) for i, (t, ls) in enumerate(noise)] + [(t, 1, i, ls) for i, (t, ls) in enumerate(decisive)]
    allv.sort(key=lambda x: (x[0], x[1], x[2]))
    out = []
    for _, _, _, ls in allv:
        out.extend(ls)
    return out


def path(rng, paths=PATHS_SHOP):
    p = rng.choice(paths)
    return p.replace("{id}", str(rng.randint(1000, 99999))).replace("{q}", rng.choice(QUERIES))


def rid(rng):
    return "%08x-%04x-%04x-%04x-%012x" % (rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(16),
                                         rng.getrandbits(16), rng.getrandbits(48))


# ---- Spring Boot ------------------------------------------------------------------------------------
def spring_line(t, level, app, thread, logger, msg):
    ts = t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + "%03d+00:00" % (t.microsecond // 1000)
    lg = logger if len(logger) <= 39 else logger[-39:]
    th = thread[-15:] if len(thread) > 15 else thread
    return "%s %5s 1 --- [%s] [%15s] %-40s : %s" % (ts, level, app, th, lg, msg)


SPRING_BANNER = [
    "",
    "  .   ____          _            __ _ _",
    r" /\\ / ___'_ __ _ _(_)_ __  __ _ \ \ \ \ ",
    r"( ( )\___ | '_ | '_| | '_ \/ _` | \ \ \ \ ",
    r" \\/  ___)| |_)| | | | | || (_| |  ) ) ) )",
    "  '  |____| .__|_| |_|_| |_\\__, | / / / /",
    " =========|_|==============|___/=/_/_/_/",
    "",
    " :: Spring Boot ::                (v3.3.5)",
    "",
]


def spring_startup(rng, t, app, main_class, version, extra=(), db_url=None, port=8080):
    """Startup sequence; returns list of (time, [lines]). `extra` = [(level, logger, msg)] logged mid-startup."""
    out = [(t, list(SPRING_BANNER))]
    seq = [
        ("INFO", "main", "c.a." + app.replace("-", "") + "." + main_class,
         "Starting %s v%s using Java 21.0.5 with PID 1 (/app/app.jar started by app in /app)" % (main_class, version)),
        ("INFO", "main", "c.a." + app.replace("-", "") + "." + main_class,
         'The following 1 profile is active: "prod"'),
        ("INFO", "main", ".s.d.r.c.RepositoryConfigurationDelegate",
         "Bootstrapping Spring Data JPA repositories in DEFAULT mode."),
        ("INFO", "main", ".s.d.r.c.RepositoryConfigurationDelegate",
         "Finished Spring Data repository scanning in 187 ms. Found 9 JPA repository interfaces."),
        ("INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat initialized with port %d (http)" % port),
        ("INFO", "main", "o.apache.catalina.core.StandardService", "Starting service [Tomcat]"),
        ("INFO", "main", "o.apache.catalina.core.StandardEngine", "Starting Servlet engine: [Apache Tomcat/10.1.31]"),
        ("INFO", "main", "o.a.c.c.C.[Tomcat].[localhost].[/]", "Initializing Spring embedded WebApplicationContext"),
        ("INFO", "main", "w.s.c.ServletWebServerApplicationContext",
         "Root WebApplicationContext: initialization completed in %d ms" % rng.randint(1800, 3400)),
        ("INFO", "main", "o.hibernate.jpa.internal.util.LogHelper", "HHH000204: Processing PersistenceUnitInfo [name: default]"),
        ("INFO", "main", "org.hibernate.Version", "HHH000412: Hibernate ORM core version 6.5.3.Final"),
        ("INFO", "main", "o.h.c.internal.RegionFactoryInitiator", "HHH000026: Second-level cache disabled"),
    ]
    seq += [(lv, "main", lg, m) for lv, lg, m in extra]
    if db_url:
        seq += [("INFO", "main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Starting..."),
                ("INFO", "main", "com.zaxxer.hikari.pool.HikariPool",
                 "HikariPool-1 - Added connection org.postgresql.jdbc.PgConnection@%x" % rng.getrandbits(28)),
                ("INFO", "main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start completed."),
                ("WARN", "main", "org.hibernate.orm.deprecation",
                 "HHH90000025: PostgreSQLDialect does not need to be specified explicitly using 'hibernate.dialect' "
                 "(remove the property setting and it will be selected by default)"),
                ("INFO", "main", "o.h.e.t.j.p.i.JtaPlatformInitiator",
                 "HHH000489: No JTA platform available (set 'hibernate.transaction.jta.platform' to enable JTA platform integration)"),
                ("INFO", "main", "j.LocalContainerEntityManagerFactoryBean",
                 "Initialized JPA EntityManagerFactory for persistence unit 'default'")]
    seq += [("WARN", "main", "JpaBaseConfiguration$JpaWebConfiguration",
             "spring.jpa.open-in-view is enabled by default. Therefore, database queries may be performed during "
             "view rendering. Explicitly configure spring.jpa.open-in-view to disable this warning"),
            ("INFO", "main", "o.s.b.a.e.web.EndpointLinksResolver", "Exposing 4 endpoints beneath base path '/actuator'"),
            ("INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer",
             "Tomcat started on port %d (http) with context path '/'" % port),
            ("INFO", "main", "c.a." + app.replace("-", "") + "." + main_class,
             "Started %s in %.3f seconds (process running for %.3f)" % (main_class, 9 + rng.random() * 4,
                                                                        10 + rng.random() * 4))]
    tt = t + timedelta(milliseconds=900)
    for lv, th, lg, m in seq:
        tt += timedelta(milliseconds=rng.randint(20, 900))
        out.append((tt, [spring_line(tt, lv, app, th, lg, m)]))
    return out, tt


def spring_noise(rng, app, pkg, ctrl, start, end, n, paths=PATHS_SHOP, warn_rate=0.03):
    out = []
    for t in times(rng, start, end, n):
        th = "http-nio-8080-exec-%d" % rng.randint(1, 10)
        r = rng.random()
        if r < 0.70:
            p = path(rng, paths)
            st = rng.choices([200, 200, 200, 201, 204, 400, 404], [50, 20, 10, 6, 4, 2, 3])[0]
            out.append((t, [spring_line(t, "INFO", app, th, pkg + ".web." + ctrl,
                                        "%s %s -> %d (%d ms)" % (rng.choice(["GET", "GET", "POST", "PUT"]), p, st,
                                                                 rng.randint(2, 180)))]))
        elif r < 0.80:
            out.append((t, [spring_line(t, "DEBUG", app, th, pkg + ".repo.QueryTimer",
                                        "query=%s rows=%d elapsed=%dms" % (rng.choice(["findByCustomerId", "findAllActive",
                                                                                     "countPending", "findById"]),
                                                                          rng.randint(0, 120), rng.randint(1, 40)))]))
        elif r < 0.88:
            out.append((t, [spring_line(t, "INFO", app, "scheduling-1", pkg + ".jobs.OutboxPublisher",
                                        "Published %d outbox events to topic %s.events" % (rng.randint(0, 40), app))]))
        elif r < 0.88 + warn_rate:
            out.append((t, [spring_line(t, "WARN", app, th, pkg + ".web.GlobalExceptionHandler",
                                        "Request rejected: %s (requestId=%s)" % (
                                            rng.choice(["validation failed for field 'quantity': must be greater than 0",
                                                        "resource not found", "missing header X-Customer-Id"]), rid(rng)))]))
        elif r < 0.95:
            out.append((t, [spring_line(t, "INFO", app, "kafka-consumer-1", "o.a.k.c.c.internals.ConsumerCoordinator",
                                        "[Consumer clientId=%s-0, groupId=%s] Found no committed offset for partition %s.events-%d"
                                        % (app, app, app, rng.randint(0, 5))
                                        if rng.random() < 0.1 else
                                        "[Consumer clientId=%s-0, groupId=%s] Request joining group due to: need to re-join with the given member-id"
                                        % (app, app) if rng.random() < 0.05 else
                                        "[Consumer clientId=%s-0, groupId=%s] Committed offsets for %d partitions" % (app, app, rng.randint(1, 6)))]))
        else:
            out.append((t, [spring_line(t, "INFO", app, "http-nio-8080-exec-%d" % rng.randint(1, 10),
                                        "o.s.web.servlet.DispatcherServlet", "Completed initialization in 2 ms")
                            if rng.random() < 0.02 else
                            spring_line(t, "DEBUG", app, "pool-2-thread-1", "i.m.c.i.logging.LoggingMeterRegistry",
                                        "jvm.memory.used{area=heap} value=%d MiB" % rng.randint(180, 340))]))
    return out


def java_stack(exc, frames, caused=None):
    lines = [exc] + ["\tat " + f for f in frames]
    if caused:
        lines.append("Caused by: " + caused[0])
        lines += ["\tat " + f for f in caused[1]]
        lines.append("\t... %d common frames omitted" % (len(frames) + 3))
    return lines


# ---- Go slog JSON / logfmt -------------------------------------------------------------------------------
def jq(v):
    import json
    return json.dumps(v, ensure_ascii=False)


def go_json(t, level, msg, **kv):
    parts = ['"time":' + jq(iso_ms(t)), '"level":' + jq(level), '"msg":' + jq(msg)]
    parts += ['%s:%s' % (jq(k), jq(v)) for k, v in kv.items()]
    return "{" + ",".join(parts) + "}"


def logfmt(t, level, msg, **kv):
    def q(v):
        s = str(v)
        return '"%s"' % s.replace('"', '\\"') if (" " in s or '"' in s or "=" in s or s == "") else s
    return " ".join(["time=" + iso_ms(t), "level=" + level, "msg=" + q(msg)] + ["%s=%s" % (k, q(v)) for k, v in kv.items()])


# ---- Node pino -------------------------------------------------------------------------------------------
def pino(t, level, host, msg, **kv):
    lv = {"trace": 10, "debug": 20, "info": 30, "warn": 40, "error": 50, "fatal": 60}[level]
    ms = int(t.timestamp() * 1000)
    parts = ['"level":%d' % lv, '"time":%d' % ms, '"pid":1', '"hostname":' + jq(host)]
    parts += ['%s:%s' % (jq(k), jq(v)) for k, v in kv.items()]
    parts.append('"msg":' + jq(msg))
    return "{" + ",".join(parts) + "}"


# ---- nginx -----------------------------------------------------------------------------------------------
def nginx_access(rng, t, client, paths, upstream=False):
    p = rng.choice(paths)
    st = rng.choices([200, 304, 301, 404, 499], [80, 10, 3, 5, 1])[0]
    size = 0 if st == 304 else rng.randint(300, 90000)
    ref = rng.choice(['"-"', '"https://shop.example.com/"', '"https://shop.example.com/cart"'])
    ua = rng.choice(UAS[:4])
    xff = "%d.%d.%d.%d" % (rng.choice([203, 198, 192]), rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254))
    line = '%s - - [%s] "%s %s HTTP/1.1" %d %d %s "%s" "%s"' % (
        client, t.strftime("%d/%b/%Y:%H:%M:%S +0000"), "GET", p, st, size, ref, ua, xff)
    if upstream:
        line += " rt=%.3f uct=0.001 urt=%.3f" % (rng.random() / 5, rng.random() / 6)
    return line


def nginx_error(t, level, msg):
    return "%s [%s] %d#%d: %s" % (t.strftime("%Y/%m/%d %H:%M:%S"), level, 29, 29, msg)


# ---- Python logging ----------------------------------------------------------------------------------------
def py_line(t, level, logger, msg):
    return "%s,%03d %-8s [%s] %s" % (t.strftime("%Y-%m-%d %H:%M:%S"), t.microsecond // 1000, level, logger, msg)


# ---- Redis ---------------------------------------------------------------------------------------------------
def redis_line(t, role, sym, msg):
    return "1:%s %s.%03d %s %s" % (role, t.strftime("%d %b %Y %H:%M:%S"), t.microsecond // 1000, sym, msg)


# ---- Fluent Bit ----------------------------------------------------------------------------------------------
def fluentbit(t, level, comp, msg):
    return "[%s] [%5s] [%s] %s" % (t.strftime("%Y/%m/%d %H:%M:%S"), level, comp, msg)

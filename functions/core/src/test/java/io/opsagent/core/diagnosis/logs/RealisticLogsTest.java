package io.opsagent.core.diagnosis.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.cluster.LogLine;
import io.opsagent.core.diagnosis.logs.LogSignal.Kind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Long logs with seeded noise around the decisive lines, in the formats of common runtimes. */
class RealisticLogsTest {

    private final LogErrorClassifier classifier = new LogErrorClassifier();
    private final Random rng = new Random(42);
    private Instant t = Instant.parse("2026-11-21T09:00:00Z");

    private static ContainerLog log(List<String> raw, boolean previous) {
        List<LogLine> lines = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            lines.add(new LogLine(i + 1, raw.get(i)));
        }
        return new ContainerLog("shop", "orders-6b7c9d8f5-q2w3e", "orders", previous, "shop/orders/logs.txt", lines);
    }

    private String spring(String level, String thread, String logger, String msg) {
        t = t.plusMillis(50 + rng.nextInt(2000));
        return String.format("%s %5s 1 --- [orders] [%15s] %-40s : %s", t.toString().replace("Z", "+00:00"), level,
                thread, logger, msg);
    }

    private void springNoise(List<String> out, int n) {
        for (int i = 0; i < n; i++) {
            double r = rng.nextDouble();
            String th = "http-nio-8080-exec-" + (1 + rng.nextInt(10));
            if (r < 0.7) {
                out.add(spring("INFO", th, "c.a.orders.web.OrderController", "GET /api/v1/orders/" + rng.nextInt(99999)
                        + " -> 200 (" + rng.nextInt(180) + " ms)"));
            } else if (r < 0.85) {
                out.add(spring("DEBUG", th, "c.a.orders.repo.QueryTimer", "query=findById rows=1 elapsed=" + rng.nextInt(40) + "ms"));
            } else if (r < 0.9) {
                out.add(spring("WARN", th, "c.a.orders.web.GlobalExceptionHandler",
                        "Request rejected: validation failed for field 'quantity': must be greater than 0 (requestId="
                                + Long.toHexString(rng.nextLong()) + ")"));
            } else {
                out.add(spring("INFO", "scheduling-1", "c.a.orders.jobs.OutboxPublisher",
                        "Published " + rng.nextInt(40) + " outbox events to topic orders.events"));
            }
        }
    }

    @Test
    void springServiceLosesItsDatabaseMidRun() {
        List<String> out = new ArrayList<>();
        out.add(spring("INFO", "main", "c.a.orders.OrdersApplication", "Starting OrdersApplication v2.4.1 using Java 21.0.5"));
        out.add(spring("INFO", "main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start completed."));
        out.add(spring("INFO", "main", "c.a.orders.OrdersApplication", "Started OrdersApplication in 11.2 seconds"));
        springNoise(out, 700);
        int decisive = 0;
        for (int k = 0; k < 6; k++) {
            out.add(spring("WARN", "http-nio-8080-exec-3", "o.h.engine.jdbc.spi.SqlExceptionHelper", "SQL Error: 0, SQLState: 08001"));
            out.add(spring("ERROR", "http-nio-8080-exec-3", "o.h.engine.jdbc.spi.SqlExceptionHelper",
                    "HikariPool-1 - Connection is not available, request timed out after 30000ms."));
            out.add(spring("ERROR", "http-nio-8080-exec-3", "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                    "Servlet.service() for servlet [dispatcherServlet] threw exception"));
            out.add("org.springframework.dao.DataAccessResourceFailureException: Unable to acquire JDBC Connection");
            out.add("\tat org.springframework.orm.jpa.vendor.HibernateJpaDialect.convertHibernateAccessException(HibernateJpaDialect.java:277)");
            out.add("\tat org.springframework.orm.jpa.vendor.HibernateJpaDialect.translateExceptionIfPossible(HibernateJpaDialect.java:241)");
            out.add("Caused by: org.hibernate.exception.JDBCConnectionException: Unable to acquire JDBC Connection");
            out.add("\tat org.hibernate.exception.internal.SQLStateConversionDelegate.convert(SQLStateConversionDelegate.java:100)");
            out.add("Caused by: org.postgresql.util.PSQLException: Connection to orders-db.shop.svc:5432 refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.");
            if (decisive == 0) {
                decisive = out.size();
            }
            out.add("\tat org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:346)");
            out.add("\t... 68 common frames omitted");
            springNoise(out, 3);
        }
        out.add(spring("WARN", "http-nio-8080-exec-1", "o.s.b.a.jdbc.DataSourceHealthIndicator", "DataSource health check failed"));

        List<LogSignal> signals = classifier.classify(log(out, false));
        LogSignal top = signals.get(0);
        assertThat(top.kind()).isEqualTo(Kind.DEPENDENCY_UNREACHABLE);
        assertThat(top.line().number()).isEqualTo(decisive);
        assertThat(top.occurrences()).isEqualTo(6);
        assertThat(top.explanation()).startsWith("PostgreSQL at orders-db.shop.svc:5432 refuses connections");
        assertThat(top.isStrong()).isTrue();
        assertThat(signals).filteredOn(s -> s.line().text().contains("Request rejected")).allMatch(s -> !s.isStrong());
    }

    private String slog(String level, String msg, String extra) {
        t = t.plusMillis(10 + rng.nextInt(900));
        return "{\"time\":\"" + t + "\",\"level\":\"" + level + "\",\"msg\":\"" + msg + "\"" + extra + "}";
    }

    @Test
    void goServiceExitsOnExpiredCertificate() {
        List<String> out = new ArrayList<>();
        out.add(slog("INFO", "starting ledger", ",\"version\":\"1.9.0\""));
        for (int i = 0; i < 500; i++) {
            double r = rng.nextDouble();
            if (r < 0.9) {
                out.add(slog("INFO", "request", ",\"method\":\"GET\",\"path\":\"/v1/balance/" + rng.nextInt(9999) + "\",\"status\":200,\"dur_ms\":" + rng.nextInt(90)));
            } else if (r < 0.98) {
                out.add(slog("DEBUG", "cache hit", ",\"key\":\"acct:" + rng.nextInt(9999) + "\""));
            } else {
                out.add(slog("ERROR", "request failed", ",\"path\":\"/v1/transfer\",\"status\":422,\"err\":\"insufficient funds\""));
            }
        }
        out.add(slog("ERROR", "upstream call failed", ",\"err\":\"Post \\\"https://settlement.bank.svc:8443/v2/settle\\\": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2026-11-21T09:10:00Z is after 2026-11-20T23:59:59Z\""));
        int decisive = out.size();
        out.add(slog("INFO", "shutting down", ""));
        List<LogSignal> signals = classifier.classify(log(out, true));
        assertThat(signals.get(0).kind()).isEqualTo(Kind.TLS_CERTIFICATE);
        assertThat(signals.get(0).line().number()).isEqualTo(decisive);
        assertThat(signals.get(0).explanation()).contains("expired").contains("settlement.bank.svc:8443");
        assertThat(signals.subList(1, signals.size())).noneMatch(LogSignal::isStrong);
    }

    @Test
    void nodeServiceDiesOnUnresolvableHost() {
        List<String> out = new ArrayList<>();
        long ms = t.toEpochMilli();
        for (int i = 0; i < 400; i++) {
            ms += 20 + rng.nextInt(500);
            out.add("{\"level\":30,\"time\":" + ms + ",\"pid\":1,\"hostname\":\"cart-7f8\",\"req\":{\"method\":\"GET\",\"url\":\"/cart/"
                    + rng.nextInt(999) + "\"},\"res\":{\"statusCode\":200},\"responseTime\":" + rng.nextInt(60) + ",\"msg\":\"request completed\"}");
        }
        out.add("{\"level\":60,\"time\":" + (ms + 5) + ",\"pid\":1,\"hostname\":\"cart-7f8\",\"err\":{\"type\":\"Error\",\"message\":\"getaddrinfo ENOTFOUND payments.internal.example\",\"stack\":\"Error: getaddrinfo ENOTFOUND payments.internal.example\\n    at GetAddrInfoReqWrap.onlookup [as oncomplete] (node:dns:107:26)\"},\"msg\":\"uncaught exception, exiting\"}");
        List<LogSignal> signals = classifier.classify(log(out, true));
        assertThat(signals).isNotEmpty();
        assertThat(signals.get(0).kind()).isEqualTo(Kind.DEPENDENCY_UNREACHABLE);
        assertThat(signals.get(0).line().number()).isEqualTo(401);
        assertThat(signals.get(0).explanation()).contains("payments.internal.example").contains("DNS");
    }

    @Test
    void healthyLongServiceLogHasNoStrongSignal() {
        List<String> out = new ArrayList<>();
        out.add(spring("INFO", "main", "c.a.orders.OrdersApplication", "Started OrdersApplication in 11.2 seconds"));
        springNoise(out, 3000);
        assertThat(classifier.classify(log(out, false))).noneMatch(LogSignal::isStrong);
    }
}

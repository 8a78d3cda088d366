package io.opsagent.core.diagnosis.logs;

import static io.opsagent.core.diagnosis.logs.LogSnippets.chatter;
import static io.opsagent.core.diagnosis.logs.LogSnippets.log;
import static io.opsagent.core.diagnosis.logs.LogSnippets.previous;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.diagnosis.logs.LogSignal.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogErrorClassifierTest {

    private final LogErrorClassifier classifier = new LogErrorClassifier();

    private LogSignal top(ContainerLog log) {
        List<LogSignal> signals = classifier.classify(log);
        assertThat(signals).as("signals of\n%s", log.lines()).isNotEmpty();
        return signals.get(0);
    }

    private void assertTop(ContainerLog log, int line, Kind kind) {
        LogSignal s = top(log);
        assertThat(s.line().number()).as("decisive line of %s", s).isEqualTo(line);
        assertThat(s.kind()).as("kind of %s", s).isEqualTo(kind);
        assertThat(s.isStrong()).as("strength of %s", s).isTrue();
        assertThat(s.ref()).isEqualTo("shop/api-7d9f8c6b5-x2k4p/logs.txt:" + line);
    }

    // ------------------------------------------------------------ missing configuration

    @Test
    void environmentVariableUndefinedAlone() {
        LogSignal s = top(previous("Environment variable DEPLOY_ENV is undefined\n"));
        assertThat(s.kind()).isEqualTo(Kind.MISSING_CONFIG);
        assertThat(s.line().number()).isEqualTo(1);
        assertThat(s.explanation()).isEqualTo("the application exits because environment variable DEPLOY_ENV is not set");
        assertThat(s.isStrong()).isTrue();
    }

    @Test
    void envconfigRequiredKeyMissingAfterBanner() {
        String text = """
                2026/11/21 10:00:00 starting billing-worker version=1.4.2 commit=9f1c2ab
                2026/11/21 10:00:00 loading configuration from environment
                2026/11/21 10:00:00 required key DATABASE_URL missing value
                """;
        assertTop(previous(text), 3, Kind.MISSING_CONFIG);
        assertThat(top(previous(text)).explanation()).contains("DATABASE_URL");
    }

    @Test
    void pythonKeyErrorFromOsEnvironIsMissingConfig() {
        String text = """
                [2026-11-21 10:00:01,123] INFO in app: booting worker
                Traceback (most recent call last):
                  File "/app/main.py", line 42, in <module>
                    app = create_app()
                  File "/app/app/__init__.py", line 17, in create_app
                    db_url = os.environ["DATABASE_URL"]
                  File "/usr/local/lib/python3.11/os.py", line 679, in __getitem__
                    raise KeyError(key) from None
                KeyError: 'DATABASE_URL'
                """;
        assertTop(previous(text), 9, Kind.MISSING_CONFIG);
        LogSignal s = top(previous(text));
        assertThat(s.explanation()).contains("DATABASE_URL");
        assertThat(s.related()).extracting(l -> l.number()).contains(2);
    }

    @Test
    void pythonKeyErrorOnLowerCaseDictKeyIsAnException() {
        String text = """
                Traceback (most recent call last):
                  File "/app/handler.py", line 12, in handle
                    return payload["customer"]["id"]
                KeyError: 'customer'
                """;
        assertTop(previous(text), 4, Kind.EXCEPTION);
    }

    @Test
    void goConfigFileMissing() {
        String text = """
                {"level":"info","ts":1763719200.12,"msg":"starting inventory service","version":"2.3.0"}
                {"level":"fatal","ts":1763719200.13,"msg":"cannot load config","error":"open /etc/app/config.yaml: no such file or directory"}
                """;
        assertTop(previous(text), 2, Kind.MISSING_CONFIG);
        assertThat(top(previous(text)).explanation()).contains("/etc/app/config.yaml");
    }

    @Test
    void springUnresolvedPlaceholderInCausedBy() {
        String text = """
                2026-11-21 10:00:02.101  INFO 1 --- [           main] c.e.shop.ShopApplication : Starting ShopApplication v1.0.3 using Java 17.0.9
                2026-11-21 10:00:03.554  WARN 1 --- [           main] ConfigServletWebServerApplicationContext : Exception encountered during context initialization - cancelling refresh attempt: org.springframework.beans.factory.BeanCreationException: Error creating bean with name 'dataSourceConfig': Injection of autowired dependencies failed
                2026-11-21 10:00:03.580 ERROR 1 --- [           main] o.s.boot.SpringApplication               : Application run failed
                org.springframework.beans.factory.BeanCreationException: Error creating bean with name 'dataSourceConfig': Injection of autowired dependencies failed
                \tat org.springframework.beans.factory.annotation.AutowiredAnnotationBeanPostProcessor.postProcessProperties(AutowiredAnnotationBeanPostProcessor.java:498)
                \tat org.springframework.beans.factory.support.AbstractAutowireCapableBeanFactory.populateBean(AbstractAutowireCapableBeanFactory.java:1416)
                \tat org.springframework.boot.SpringApplication.run(SpringApplication.java:1306)
                \tat com.example.shop.ShopApplication.main(ShopApplication.java:10)
                Caused by: java.lang.IllegalArgumentException: Could not resolve placeholder 'db.url' in value "${db.url}"
                \tat org.springframework.util.PropertyPlaceholderHelper.parseStringValue(PropertyPlaceholderHelper.java:180)
                \tat org.springframework.util.PropertyPlaceholderHelper.replacePlaceholders(PropertyPlaceholderHelper.java:126)
                \t... 44 common frames omitted
                """;
        LogSignal s = top(previous(text));
        assertTop(previous(text), 9, Kind.MISSING_CONFIG);
        assertThat(s.explanation()).contains("'db.url'");
        assertThat(s.related()).extracting(l -> l.number()).contains(3, 4);
    }

    @Test
    void springBootFailureAnalysisReport() {
        String text = """
                2026-11-21 10:00:02.101  INFO 1 --- [           main] c.e.shop.ShopApplication : Starting ShopApplication
                2026-11-21 10:00:04.220  WARN 1 --- [           main] ConfigServletWebServerApplicationContext : Exception encountered during context initialization
                2026-11-21 10:00:04.301 ERROR 1 --- [           main] o.s.b.d.LoggingFailureAnalysisReporter   :\s

                ***************************
                APPLICATION FAILED TO START
                ***************************

                Description:

                Failed to configure a DataSource: 'url' attribute is not specified and no embedded datasource could be configured.

                Reason: Failed to determine a suitable driver class


                Action:

                Consider the following:
                \tIf you want an embedded database (H2, HSQL or Derby), please put it on the classpath.
                """;
        assertTop(previous(text), 11, Kind.MISSING_CONFIG);
    }

    @Test
    void springPortAlreadyInUseReport() {
        String text = """
                2026-11-21 10:00:02.101  INFO 1 --- [           main] o.s.b.w.embedded.tomcat.TomcatWebServer  : Tomcat initialized with port 8080 (http)
                2026-11-21 10:00:04.301 ERROR 1 --- [           main] o.s.b.d.LoggingFailureAnalysisReporter   :

                ***************************
                APPLICATION FAILED TO START
                ***************************

                Description:

                Web server failed to start. Port 8080 was already in use.

                Action:

                Identify and stop the process that's listening on port 8080 or configure this application to listen on another port.
                """;
        LogSignal s = top(previous(text));
        assertTop(previous(text), 10, Kind.PORT_IN_USE);
        assertThat(s.explanation()).contains("8080");
    }

    // ------------------------------------------------------------ dependencies

    @Test
    void springRootCauseIsTheDeepestCausedBy() {
        String text = """
                2026-11-21 10:00:02.101  INFO 1 --- [           main] com.zaxxer.hikari.HikariDataSource : HikariPool-1 - Starting...
                2026-11-21 10:00:03.204 ERROR 1 --- [           main] com.zaxxer.hikari.pool.HikariPool : HikariPool-1 - Exception during pool initialization.
                org.postgresql.util.PSQLException: Connection to 10.100.23.7:5432 refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.
                \tat org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:342)
                \tat org.postgresql.core.ConnectionFactory.openConnection(ConnectionFactory.java:54)
                \tat com.zaxxer.hikari.pool.HikariPool.<init>(HikariPool.java:115)
                Caused by: java.net.ConnectException: Connection refused
                \tat java.base/sun.nio.ch.Net.pollConnect(Native Method)
                \tat java.base/java.net.Socket.connect(Socket.java:633)
                \t... 58 common frames omitted
                """;
        LogSignal s = top(previous(text));
        assertThat(s.kind()).isEqualTo(Kind.DEPENDENCY_UNREACHABLE);
        // both the header and the cause say "refused"; the deepest cause is the decisive line
        assertThat(s.line().number()).isEqualTo(7);
        assertThat(s.related()).extracting(l -> l.number()).contains(3);
    }

    @Test
    void goDialTcpConnectionRefusedNamesPostgres() {
        String text = """
                time="2026-11-21T10:00:00Z" level=info msg="starting orders api" port=8080
                time="2026-11-21T10:00:00Z" level=info msg="connecting to database"
                time="2026-11-21T10:00:05Z" level=fatal msg="failed to connect to database" error="dial tcp 10.100.23.7:5432: connect: connection refused"
                """;
        LogSignal s = top(previous(text));
        assertTop(previous(text), 3, Kind.DEPENDENCY_UNREACHABLE);
        assertThat(s.explanation()).isEqualTo("PostgreSQL at 10.100.23.7:5432 refuses connections");
    }

    @Test
    void goIoTimeoutToRedis() {
        String text = """
                2026/11/21 10:00:00 main.go:41: starting session store
                2026/11/21 10:00:10 main.go:57: redis: dial tcp 10.0.4.12:6379: i/o timeout
                """;
        assertTop(previous(text), 2, Kind.DEPENDENCY_UNREACHABLE);
        assertThat(top(previous(text)).explanation()).isEqualTo("Redis at 10.0.4.12:6379 does not answer (connection timed out)");
    }

    @Test
    void goNoSuchHost() {
        String text = """
                level=info ts=2026-11-21T10:00:00.000Z msg="starting exporter"
                level=error ts=2026-11-21T10:00:00.412Z msg="scrape failed" err="Get \\"http://metrics-backend.monitoring.svc:9090/api\\": dial tcp: lookup metrics-backend.monitoring.svc on 172.20.0.10:53: no such host"
                """;
        LogSignal s = top(log(text));
        assertTop(log(text), 2, Kind.DEPENDENCY_UNREACHABLE);
        assertThat(s.explanation()).contains("metrics-backend.monitoring.svc").contains("DNS");
    }

    @Test
    void nodeEconnrefusedWithStack() {
        String text = """
                > orders@1.0.0 start
                > node server.js

                Server starting on port 3000
                Error: connect ECONNREFUSED 10.0.7.21:6379
                    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16) {
                  errno: -111,
                  code: 'ECONNREFUSED',
                  syscall: 'connect',
                  address: '10.0.7.21',
                  port: 6379
                }
                """;
        LogSignal s = top(previous(text));
        assertTop(previous(text), 5, Kind.DEPENDENCY_UNREACHABLE);
        assertThat(s.explanation()).isEqualTo("Redis at 10.0.7.21:6379 refuses connections");
    }

    @Test
    void nodeGetaddrinfoEnotfound() {
        String text = """
                Listening on :8080
                MongoServerSelectionError: getaddrinfo ENOTFOUND mongo.data.svc.cluster.local
                    at Timeout._onTimeout (/app/node_modules/mongodb/lib/sdam/topology.js:278:38)
                    at listOnTimeout (node:internal/timers:569:17)
                """;
        assertTop(previous(text), 2, Kind.DEPENDENCY_UNREACHABLE);
        assertThat(top(previous(text)).explanation()).contains("mongo.data.svc.cluster.local").contains("MongoDB");
    }

    @Test
    void psqlCouldNotConnectToServer() {
        String text = """
                waiting for database...
                psql: error: could not connect to server: Connection refused
                \tIs the server running on host "postgres" (10.0.3.3) and accepting
                \tTCP/IP connections on port 5432?
                """;
        assertTop(previous(text), 2, Kind.DEPENDENCY_UNREACHABLE);
        assertThat(top(previous(text)).explanation()).startsWith("PostgreSQL").endsWith("refuses connections");
    }

    @Test
    void pythonPsycopgTracebackEndsWithOperationalError() {
        String text = """
                INFO:     Started server process [1]
                INFO:     Waiting for application startup.
                Traceback (most recent call last):
                  File "/app/db.py", line 8, in connect
                    return psycopg2.connect(dsn)
                  File "/usr/local/lib/python3.11/site-packages/psycopg2/__init__.py", line 122, in connect
                    conn = _connect(dsn, connection_factory=connection_factory, **kwasync)
                psycopg2.OperationalError: connection to server at "db.prod.internal" (10.1.2.3), port 5432 failed: Connection timed out
                \tIs the server running on that host and accepting TCP/IP connections?
                ERROR:    Application startup failed. Exiting.
                """;
        LogSignal s = top(previous(text));
        assertThat(s.line().number()).isEqualTo(8);
        assertThat(s.kind()).isEqualTo(Kind.DEPENDENCY_UNREACHABLE);
        assertThat(s.explanation()).isEqualTo("PostgreSQL at db.prod.internal:5432 does not answer (connection timed out)");
    }

    @Test
    void javaUnknownHostException() {
        String text = """
                2026-11-21T10:00:00.123Z ERROR [main] c.e.Payments - cannot reach gateway
                java.net.UnknownHostException: payments-gateway.internal: Name or service not known
                \tat java.base/java.net.Inet6AddressImpl.lookupAllHostAddr(Native Method)
                \tat java.base/java.net.InetAddress.getAllByName0(InetAddress.java:1534)
                """;
        assertTop(previous(text), 2, Kind.DEPENDENCY_UNREACHABLE);
        assertThat(top(previous(text)).related()).extracting(l -> l.number()).contains(1);
    }

    @Test
    void kafkaBrokerNotAvailableRepeated() {
        StringBuilder sb = new StringBuilder(chatter(20, 0));
        for (int i = 0; i < 30; i++) {
            sb.append("2026-11-21 10:01:").append(String.format("%02d", i)).append(".000  WARN 1 --- [ad | producer-1] o.a.k.c.NetworkClient : [Producer clientId=producer-1] Connection to node -1 (kafka-0.kafka.svc/10.0.9.9:9092) could not be established. Broker may not be available.\n");
        }
        LogSignal s = top(log(sb.toString()));
        assertThat(s.kind()).isEqualTo(Kind.DEPENDENCY_UNREACHABLE);
        assertThat(s.line().number()).isEqualTo(21);
        assertThat(s.occurrences()).isEqualTo(30);
        assertThat(s.lastLine()).isEqualTo(50);
        assertThat(s.explanation()).contains("Kafka").contains("seen 30 times");
        assertThat(classifier.classify(log(sb.toString()))).hasSize(1);
    }

    @Test
    void mysqlCannotConnect() {
        String text = """
                Starting wordpress setup
                ERROR 2003 (HY000): Can't connect to MySQL server on 'mysql:3306' (111)
                """;
        assertTop(previous(text), 2, Kind.DEPENDENCY_UNREACHABLE);
        assertThat(top(previous(text)).explanation()).isEqualTo("MySQL at mysql:3306 refuses connections");
    }

    @Test
    void nginxUpstreamConnectFailed() {
        String text = """
                10.0.1.5 - - [21/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 612 "-" "curl/8.0"
                2026/11/21 10:00:01 [error] 29#29: *7 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.1.5, server: _, request: "GET /api/ HTTP/1.1", upstream: "http://10.0.2.14:8080/api/", host: "shop.example.com"
                10.0.1.5 - - [21/Nov/2026:10:00:01 +0000] "GET /api/ HTTP/1.1" 502 157 "-" "curl/8.0"
                """;
        LogSignal s = top(log(text));
        assertThat(s.kind()).isEqualTo(Kind.DEPENDENCY_UNREACHABLE);
        assertThat(s.line().number()).isEqualTo(2);
        assertThat(s.explanation()).contains("10.0.2.14:8080").contains("refuses connections");
    }

    @Test
    void nginxBindAddressInUse() {
        String text = """
                /docker-entrypoint.sh: Configuration complete; ready for start up
                2026/11/21 10:00:00 [emerg] 1#1: bind() to 0.0.0.0:80 failed (98: Address already in use)
                nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)
                """;
        LogSignal s = top(previous(text));
        assertThat(s.kind()).isEqualTo(Kind.PORT_IN_USE);
        assertThat(s.line().number()).isIn(2, 3);
        assertThat(s.explanation()).contains("0.0.0.0:80");
    }

    @Test
    void nodeEaddrinuse() {
        String text = """
                node:events:495
                      throw er; // Unhandled 'error' event
                      ^

                Error: listen EADDRINUSE: address already in use :::3000
                    at Server.setupListenHandle [as _listen2] (node:net:1817:16)
                    at listenInCluster (node:net:1865:12)
                """;
        assertTop(previous(text), 5, Kind.PORT_IN_USE);
    }

    // ------------------------------------------------------------ authentication and TLS

    @Test
    void postgresPasswordAuthenticationFailed() {
        String text = """
                2026-11-21 10:00:00 INFO  Connecting to jdbc:postgresql://orders-db:5432/orders
                2026-11-21 10:00:01 ERROR FATAL: password authentication failed for user "orders_app"
                """;
        LogSignal s = top(previous(text));
        assertTop(previous(text), 2, Kind.AUTH_FAILURE);
        assertThat(s.explanation()).isEqualTo("PostgreSQL rejects the credentials of user orders_app");
    }

    @Test
    void mysqlAccessDenied() {
        String text = """
                [Note] Plugin 'FEDERATED' is disabled.
                java.sql.SQLException: Access denied for user 'app'@'10.0.5.6' (using password: YES)
                \tat com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:130)
                """;
        assertTop(previous(text), 2, Kind.AUTH_FAILURE);
        assertThat(top(previous(text)).explanation()).contains("user app");
    }

    @Test
    void awsExpiredToken() {
        String text = """
                {"level":"info","time":"2026-11-21T10:00:00Z","message":"polling queue"}
                {"level":"error","time":"2026-11-21T10:00:01Z","message":"receive failed","error":"operation error SQS: ReceiveMessage, https response error StatusCode: 403, RequestID: 5f2c, api error ExpiredToken: The security token included in the request is expired"}
                """;
        LogSignal s = top(log(text));
        assertTop(log(text), 2, Kind.AUTH_FAILURE);
        assertThat(s.explanation()).contains("expired");
    }

    @Test
    void httpClient401() {
        String text = """
                2026-11-21T10:00:00Z INFO fetching exchange rates
                2026-11-21T10:00:01Z ERROR rates client: unexpected response 401 Unauthorized from https://rates.example.com/v1/latest
                """;
        assertTop(previous(text), 2, Kind.AUTH_FAILURE);
    }

    @Test
    void x509CertificateExpired() {
        String text = """
                I1121 10:00:00.000000       1 main.go:30] starting webhook client
                E1121 10:00:01.000000       1 client.go:88] Post "https://webhook.svc:443/validate": x509: certificate has expired or is not yet valid: current time 2026-11-21T10:00:01Z is after 2026-10-01T00:00:00Z
                """;
        LogSignal s = top(log(text));
        assertTop(log(text), 2, Kind.TLS_CERTIFICATE);
        assertThat(s.explanation()).contains("expired");
    }

    @Test
    void javaPkixPathBuildingFailed() {
        String text = """
                2026-11-21 10:00:00.000 ERROR 1 --- [main] c.e.PaymentClient : call failed
                javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target
                \tat java.base/sun.security.ssl.Alert.createSSLException(Alert.java:131)
                Caused by: sun.security.validator.ValidatorException: PKIX path building failed
                \tat java.base/sun.security.validator.PKIXValidator.doBuild(PKIXValidator.java:439)
                """;
        LogSignal s = top(previous(text));
        assertThat(s.kind()).isEqualTo(Kind.TLS_CERTIFICATE);
        assertThat(s.line().number()).isEqualTo(4);
        assertThat(s.explanation()).contains("not trusted");
    }

    @Test
    void goUnknownAuthority() {
        String text = """
                2026/11/21 10:00:00 Get "https://vault.security.svc:8200/v1/sys/health": tls: failed to verify certificate: x509: certificate signed by unknown authority
                """;
        assertTop(previous(text), 1, Kind.TLS_CERTIFICATE);
    }

    // ------------------------------------------------------------ resources

    @Test
    void permissionDeniedOnVolume() {
        String text = """
                Starting exporter
                mkdir: cannot create directory '/data/cache': Permission denied
                """;
        assertTop(previous(text), 2, Kind.PERMISSION_DENIED);
        assertThat(top(previous(text)).explanation()).contains("/data/cache");
    }

    @Test
    void readOnlyFileSystem() {
        String text = """
                {"level":"error","msg":"cannot write pid file","error":"open /var/run/app.pid: read-only file system"}
                """;
        assertTop(previous(text), 1, Kind.PERMISSION_DENIED);
        assertThat(top(previous(text)).explanation()).contains("read-only");
    }

    @Test
    void noSpaceLeftOnDevice() {
        String text = chatter(40, 0) + "2026-11-21 10:01:00.000 ERROR 1 --- [main] c.e.Writer : write /data/segment-0001.log: no space left on device\n";
        assertTop(previous(text), 41, Kind.DISK_FULL);
    }

    @Test
    void javaOutOfMemoryError() {
        String text = chatter(30, 0) + """
                Exception in thread "http-nio-8080-exec-4" java.lang.OutOfMemoryError: Java heap space
                \tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)
                \tat com.example.shop.ReportService.build(ReportService.java:88)
                """;
        LogSignal s = top(previous(text));
        assertTop(previous(text), 31, Kind.OUT_OF_MEMORY);
        assertThat(s.explanation()).contains("Java heap space");
    }

    @Test
    void nodeHeapOutOfMemory() {
        String text = """
                <--- Last few GCs --->
                [1:0x5d1c7e0]    60123 ms: Mark-sweep 2040.1 (2083.4) -> 2038.9 (2083.9) MB, 1500.2 / 0.0 ms  (average mu = 0.101, current mu = 0.005) allocation failure; scavenge might not succeed

                FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory
                 1: 0xb7b3e0 node::Abort() [node]
                """;
        assertTop(previous(text), 4, Kind.OUT_OF_MEMORY);
    }

    @Test
    void goRuntimeOutOfMemory() {
        String text = """
                fatal error: runtime: out of memory

                runtime stack:
                runtime.throw({0x1234, 0x16})
                """;
        assertTop(previous(text), 1, Kind.OUT_OF_MEMORY);
    }

    // ------------------------------------------------------------ panics and exceptions

    @Test
    void goNilPointerPanic() {
        String text = """
                2026/11/21 10:00:00 listening on :8080
                panic: runtime error: invalid memory address or nil pointer dereference
                [signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x6b4f2a]

                goroutine 1 [running]:
                main.(*Server).routes(0x0)
                \t/app/server.go:41 +0x2a
                main.main()
                \t/app/main.go:23 +0x1c5
                exit status 2
                """;
        List<LogSignal> signals = classifier.classify(previous(text));
        assertTop(previous(text), 2, Kind.PANIC);
        assertThat(signals).noneMatch(s -> s.line().number() == 3);
        assertThat(signals.get(0).explanation()).contains("nil pointer dereference");
    }

    @Test
    void goPanicWithDependencyMessageIsTheDependency() {
        String text = """
                panic: dial tcp 10.0.0.8:27017: connect: connection refused

                goroutine 1 [running]:
                main.main()
                \t/app/main.go:19 +0x1e5
                """;
        assertTop(previous(text), 1, Kind.DEPENDENCY_UNREACHABLE);
        assertThat(top(previous(text)).explanation()).isEqualTo("MongoDB at 10.0.0.8:27017 refuses connections");
    }

    @Test
    void pythonTracebackGenericExceptionAtEnd() {
        String text = """
                2026-11-21 10:00:00,001 INFO worker: consuming from queue orders
                Traceback (most recent call last):
                  File "/app/worker.py", line 55, in <module>
                    main()
                  File "/app/worker.py", line 50, in main
                    total = sum(item["price"] for item in order.items)
                TypeError: unsupported operand type(s) for +: 'int' and 'NoneType'
                """;
        assertTop(previous(text), 7, Kind.EXCEPTION);
        assertThat(top(previous(text)).explanation()).contains("TypeError");
    }

    @Test
    void pythonChainedTracebackEndsWithTheLastException() {
        String text = """
                Traceback (most recent call last):
                  File "/app/settings.py", line 10, in load
                    return int(raw)
                ValueError: invalid literal for int() with base 10: 'abc'

                The above exception was the direct cause of the following exception:

                Traceback (most recent call last):
                  File "/app/main.py", line 3, in <module>
                    settings = load()
                app.errors.SettingsError: WORKERS must be a number
                """;
        assertTop(previous(text), 11, Kind.EXCEPTION);
    }

    @Test
    void javaUncaughtExceptionInMain() {
        String text = """
                Picked up JAVA_TOOL_OPTIONS: -XX:MaxRAMPercentage=75
                Exception in thread "main" java.lang.IllegalStateException: Unknown tenant mode 'blue'
                \tat com.example.tenant.Main.main(Main.java:27)
                """;
        assertTop(previous(text), 2, Kind.EXCEPTION);
        assertThat(top(previous(text)).explanation()).contains("IllegalStateException");
    }

    @Test
    void segmentationFault() {
        String text = """
                starting image resizer
                loaded 12 presets
                Segmentation fault (core dumped)
                """;
        assertTop(previous(text), 3, Kind.PANIC);
    }

    @Test
    void criticalLineAtEndOfCrashedLog() {
        String text = """
                [2026-11-21 10:00:00 +0000] [1] [INFO] Starting gunicorn 21.2.0
                [2026-11-21 10:00:00 +0000] [1] [INFO] Listening at: http://0.0.0.0:8000 (1)
                [2026-11-21 10:00:01 +0000] [7] [CRITICAL] WORKER TIMEOUT (pid:7)
                """;
        assertTop(previous(text), 3, Kind.FATAL_ERROR);
    }

    @Test
    void exitedWithCode() {
        String text = """
                [supervisor] starting app
                [supervisor] app exited with code 3
                """;
        assertTop(previous(text), 2, Kind.FATAL_ERROR);
    }

    @Test
    void specificKindBeatsGenericErrorsNearTheEnd() {
        String text = chatter(10, 0) + """
                2026-11-21 10:01:00.000 ERROR 1 --- [main] c.e.Boot : startup step 'cache' failed
                2026-11-21 10:01:00.100  INFO 1 --- [main] c.e.Boot : continuing without cache
                2026-11-21 10:01:01.000 ERROR 1 --- [main] c.e.Boot : Environment variable PAYMENT_API_KEY is not set
                2026-11-21 10:01:01.100 ERROR 1 --- [main] c.e.Boot : giving up
                2026-11-21 10:01:01.200 ERROR 1 --- [main] c.e.Boot : shutting down
                """;
        List<LogSignal> signals = classifier.classify(previous(text));
        assertThat(signals.get(0).line().number()).isEqualTo(13);
        assertThat(signals.get(0).kind()).isEqualTo(Kind.MISSING_CONFIG);
        assertThat(signals.subList(1, signals.size())).allMatch(s -> !s.isStrong());
    }

    @Test
    void atMostFiveSignals() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            sb.append("2026-11-21 10:00:").append(String.format("%02d", i)).append(" ERROR job step ").append((char) ('a' + i))
                    .append("x failed: widget missing\n");
        }
        assertThat(classifier.classify(log(sb.toString()))).hasSize(LogErrorClassifier.MAX_SIGNALS);
    }

    // ------------------------------------------------------------ noise

    @Test
    void healthyNoisyLogWithRecoveredWarningHasNoStrongSignal() {
        String text = chatter(200, 0)
                + "2026-11-21 10:04:00.000  WARN 1 --- [lettuce-eventExecutorLoop-1-3] i.l.core.protocol.ConnectionWatchdog : Cannot reconnect to [redis-master:6379]: Connection refused, retrying\n"
                + "2026-11-21 10:04:01.000 ERROR 1 --- [nio-8080-exec-3] c.e.shop.OrderController : order 5512 not found\n"
                + "2026-11-21 10:04:05.000  INFO 1 --- [ioEventLoop-4-2] i.l.core.protocol.ReconnectionHandler : Reconnected to redis-master:6379\n"
                + chatter(200, 300);
        List<LogSignal> signals = classifier.classify(log(text));
        assertThat(signals).noneMatch(LogSignal::isStrong);
        assertThat(signals).anyMatch(s -> s.kind() == Kind.DEPENDENCY_UNREACHABLE && s.line().number() == 201);
        assertThat(classifier.classifyStrong(log(text))).isEmpty();
    }

    @Test
    void recoveredConnectionErrorAtErrorLevelIsWeak() {
        String text = """
                2026-11-21T10:00:00Z ERROR db: dial tcp 10.0.0.5:5432: connect: connection refused, will retry in 2s
                2026-11-21T10:00:02Z ERROR db: dial tcp 10.0.0.5:5432: connect: connection refused, will retry in 2s
                2026-11-21T10:00:04Z INFO  db: connected to 10.0.0.5:5432
                """ + chatter(100, 10);
        List<LogSignal> signals = classifier.classify(log(text));
        assertThat(signals).noneMatch(LogSignal::isStrong);
    }

    @Test
    void unrecoveredConnectionErrorStaysStrong() {
        String text = chatter(5, 0) + """
                2026-11-21T10:00:00Z WARN  db: dial tcp 10.0.0.5:5432: connect: connection refused, will retry in 2s
                2026-11-21T10:00:02Z WARN  db: dial tcp 10.0.0.5:5432: connect: connection refused, will retry in 2s
                2026-11-21T10:00:04Z WARN  db: dial tcp 10.0.0.5:5432: connect: connection refused, will retry in 2s
                """;
        LogSignal s = top(previous(text));
        assertThat(s.isStrong()).isTrue();
        assertThat(s.line().number()).isEqualTo(6);
        assertThat(s.occurrences()).isEqualTo(3);
    }

    @Test
    void accessLogAuthCodesAreNotFailures() {
        String text = """
                10.0.1.5 - - [21/Nov/2026:10:00:00 +0000] "GET /admin HTTP/1.1" 401 12 "-" "curl/8.0"
                10.0.1.6 - - [21/Nov/2026:10:00:01 +0000] "POST /login HTTP/1.1" 403 0 "-" "Mozilla/5.0"
                10.0.1.7 - - [21/Nov/2026:10:00:02 +0000] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29"
                """;
        assertThat(classifier.classify(log(text))).isEmpty();
    }

    @Test
    void plainInfoLogHasNoSignal() {
        assertThat(classifier.classify(log(chatter(500, 0)))).isEmpty();
    }

    @Test
    void healthCheckErrorsAreWeak() {
        String text = chatter(50, 0)
                + "2026-11-21 10:01:00.000 ERROR 1 --- [nio-8080-exec-2] c.e.HealthIndicator : health check of disk space reported slow response\n"
                + chatter(50, 100);
        assertThat(classifier.classify(log(text))).noneMatch(LogSignal::isStrong);
    }

    @Test
    void lateSignalsOfACrashedLogOutweighEarlyOnes() {
        String text = "2026-11-21 10:00:00 ERROR Exception in thread \"pool-1\" java.lang.IllegalStateException: queue closed\n"
                + chatter(300, 1)
                + "2026-11-21 10:10:00 ERROR Exception in thread \"main\" java.lang.IllegalArgumentException: bad shard map\n";
        LogSignal s = top(previous(text));
        assertThat(s.line().number()).isEqualTo(302);
    }

    @Test
    void caughtStackTraceInARunningServiceIsWeak() {
        String text = chatter(100, 0) + """
                2026-11-21 10:02:00.000  WARN 1 --- [nio-8080-exec-7] o.a.c.c.C.[.[.[/].[dispatcherServlet] : Servlet.service() threw exception
                java.io.IOException: Broken pipe
                \tat java.base/sun.nio.ch.SocketDispatcher.write0(Native Method)
                \tat org.apache.catalina.connector.OutputBuffer.flush(OutputBuffer.java:305)
                """ + chatter(300, 200);
        assertThat(classifier.classify(log(text))).noneMatch(LogSignal::isStrong);
    }

    @Test
    void transientConnectionErrorLongBeforeTheEndIsWeak() {
        String text = chatter(100, 0)
                + "2026-11-21 10:02:00.000 ERROR 1 --- [nio-8080-exec-7] c.e.RatesClient : call failed: Connection reset by peer to rates:443\n"
                + chatter(300, 200);
        List<LogSignal> signals = classifier.classify(log(text));
        assertThat(signals).singleElement().satisfies(s -> {
            assertThat(s.kind()).isEqualTo(Kind.DEPENDENCY_UNREACHABLE);
            assertThat(s.isStrong()).isFalse();
        });
    }

    @Test
    void nodeMissingModuleIsAnException() {
        String text = """
                node:internal/modules/cjs/loader:1080
                  throw err;
                  ^

                Error: Cannot find module 'express'
                Require stack:
                - /app/server.js
                    at Module._resolveFilename (node:internal/modules/cjs/loader:1077:15)
                """;
        LogSignal s = top(previous(text));
        assertThat(s.line().number()).isEqualTo(5);
        assertThat(s.kind()).isEqualTo(Kind.EXCEPTION);
        assertThat(s.explanation()).contains("Cannot find module 'express'");
    }

    // ------------------------------------------------------------ more formats and libraries

    @Test
    void redisPyConnectionError() {
        String text = """
                [2026-11-21 10:00:00,000] INFO celery@worker ready.
                Traceback (most recent call last):
                  File "/app/tasks.py", line 20, in run
                    cache.set(key, value)
                redis.exceptions.ConnectionError: Error 111 connecting to redis-master:6379. Connection refused.
                """;
        assertTop(previous(text), 5, Kind.DEPENDENCY_UNREACHABLE);
        assertThat(top(previous(text)).explanation()).isEqualTo("Redis at redis-master:6379 refuses connections");
    }

    @Test
    void lettuceRedisConnectionException() {
        String text = """
                2026-11-21 10:00:00.000 ERROR 1 --- [main] o.s.boot.SpringApplication : Application run failed
                org.springframework.data.redis.RedisConnectionFailureException: Unable to connect to Redis
                \tat org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory.getConnection(LettuceConnectionFactory.java:1602)
                Caused by: io.lettuce.core.RedisConnectionException: Unable to connect to cache.prod.svc:6379
                \tat io.lettuce.core.RedisConnectionException.create(RedisConnectionException.java:78)
                Caused by: java.net.UnknownHostException: cache.prod.svc
                \tat java.base/java.net.InetAddress$CachedAddresses.get(InetAddress.java:801)
                """;
        LogSignal s = top(previous(text));
        assertTop(previous(text), 6, Kind.DEPENDENCY_UNREACHABLE);
        assertThat(s.explanation()).contains("cache.prod.svc").contains("DNS");
        assertThat(s.related()).extracting(l -> l.number()).contains(1, 2);
    }

    @Test
    void mysqlCommunicationsLinkFailure() {
        String text = """
                2026-11-21 10:00:00.000  WARN 1 --- [main] o.h.e.j.e.j.JdbcEnvironmentInitiator : HHH000342: Could not obtain connection to query metadata
                com.mysql.cj.jdbc.exceptions.CommunicationsException: Communications link failure
                \tat com.mysql.cj.jdbc.exceptions.SQLError.createCommunicationsException(SQLError.java:175)
                Caused by: java.net.ConnectException: Connection timed out
                \tat java.base/sun.nio.ch.Net.connect0(Native Method)
                """;
        LogSignal s = top(previous(text));
        assertThat(s.kind()).isEqualTo(Kind.DEPENDENCY_UNREACHABLE);
        assertThat(s.line().number()).isEqualTo(4);
        assertThat(s.explanation()).contains("timed out");
    }

    @Test
    void kafkaSaslAuthenticationException() {
        String text = """
                [2026-11-21 10:00:00,000] INFO Kafka version: 3.6.0 (org.apache.kafka.common.utils.AppInfoParser)
                [2026-11-21 10:00:01,000] ERROR [Consumer clientId=c-1, groupId=billing] Connection to node -1 (kafka.prod.svc/10.0.9.9:9093) failed authentication due to: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512 (org.apache.kafka.clients.NetworkClient)
                org.apache.kafka.common.errors.SaslAuthenticationException: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512
                """;
        LogSignal s = top(previous(text));
        assertThat(s.kind()).isEqualTo(Kind.AUTH_FAILURE);
        assertThat(s.line().number()).isIn(2, 3);
        assertThat(s.explanation()).contains("Kafka");
    }

    @Test
    void awsAccessDenied() {
        String text = """
                {"level":"info","msg":"syncing bucket","bucket":"reports"}
                {"level":"error","msg":"sync failed","error":"operation error S3: GetObject, https response error StatusCode: 403, RequestID: X1, HostID: Y2, api error AccessDenied: User: arn:aws:sts::123456789012:assumed-role/reports/i-0abc is not authorized to perform: s3:GetObject"}
                """;
        assertTop(previous(text), 2, Kind.AUTH_FAILURE);
        assertThat(top(previous(text)).explanation()).contains("access denied");
    }

    @Test
    void tlsBadCertificate() {
        String text = """
                2026-11-21T10:00:00Z ERROR grpc: addrConn.createTransport failed to connect to {ledger.svc:8443}. Err: connection error: desc = "transport: authentication handshake failed: remote error: tls: bad certificate"
                """;
        assertTop(previous(text), 1, Kind.TLS_CERTIFICATE);
        assertThat(top(previous(text)).explanation()).contains("bad certificate");
    }

    @Test
    void nodeEacces() {
        String text = """
                {"level":30,"time":1763719200000,"msg":"server listening"}
                {"level":50,"time":1763719201000,"msg":"cannot write upload","err":{"type":"Error","message":"EACCES: permission denied, open '/uploads/tmp-1.bin'","code":"EACCES"}}
                """;
        assertTop(previous(text), 2, Kind.PERMISSION_DENIED);
        assertThat(top(previous(text)).explanation()).contains("/uploads/tmp-1.bin");
    }

    @Test
    void pythonMemoryError() {
        String text = """
                Traceback (most recent call last):
                  File "/app/etl.py", line 88, in <module>
                    frame = pd.concat(chunks)
                MemoryError
                """;
        assertTop(previous(text), 4, Kind.OUT_OF_MEMORY);
    }

    @Test
    void javaBindException() {
        String text = """
                2026-11-21 10:00:00.000 ERROR [main] c.e.Server - failed to bind
                java.net.BindException: Address already in use
                \tat java.base/sun.nio.ch.Net.bind0(Native Method)
                """;
        assertTop(previous(text), 2, Kind.PORT_IN_USE);
    }

    @Test
    void pythonCriticalLogLine() {
        String text = """
                2026-11-21 10:00:00,000 INFO [scheduler] loaded 4 jobs
                2026-11-21 10:00:01,000 CRITICAL [scheduler] job store unavailable, stopping scheduler
                """;
        assertTop(previous(text), 2, Kind.FATAL_ERROR);
    }

    // ------------------------------------------------------------ more noise

    @Test
    void certificateMentionsAtInfoAreNoFailure() {
        String text = """
                2026-11-21T10:00:00Z INFO  loaded TLS certificate from /etc/tls/tls.crt (expires 2027-01-01)
                2026-11-21T10:00:00Z INFO  certificate reloader started
                2026/11/21 10:00:05 http: TLS handshake error from 10.0.0.7:51234: EOF
                2026/11/21 10:00:06 http: TLS handshake error from 10.0.0.8:40422: EOF
                """;
        assertThat(classifier.classify(log(text))).isEmpty();
        assertThat(classifier.classify(previous(text))).isEmpty();
    }

    @Test
    void optionalVariableWithDefaultIsWeak() {
        String text = """
                2026-11-21T10:00:00Z WARN environment variable LOG_FORMAT is not set, using default "text"
                2026-11-21T10:00:00Z INFO listening on :8080
                """;
        assertThat(classifier.classify(previous(text))).noneMatch(LogSignal::isStrong);
    }

    @Test
    void infoLineOfARunningContainerIsNotStrongButOfACrashedOneIs() {
        String text = chatter(10, 0) + "2026-11-21 10:01:00.000  INFO 1 --- [main] c.e.Db : waiting for db: dial tcp 10.0.0.5:5432: connect: connection refused\n";
        assertThat(top(log(text)).isStrong()).isFalse();
        assertThat(top(log(text)).kind()).isEqualTo(Kind.DEPENDENCY_UNREACHABLE);
        assertThat(top(previous(text)).isStrong()).isTrue();
    }

    @Test
    void kubectlTimestampsPrefixKeepsTraceShapes() {
        String text = """
                2026-11-21T10:00:00.000000001Z 2026-11-21 10:00:00.000 ERROR 1 --- [main] o.s.boot.SpringApplication : Application run failed
                2026-11-21T10:00:00.000000002Z org.springframework.beans.factory.BeanCreationException: Error creating bean with name 'cache'
                2026-11-21T10:00:00.000000003Z \tat org.springframework.beans.factory.support.AbstractBeanFactory.getBean(AbstractBeanFactory.java:205)
                2026-11-21T10:00:00.000000004Z Caused by: io.lettuce.core.RedisConnectionException: Unable to connect to redis:6379
                2026-11-21T10:00:00.000000005Z \tat io.lettuce.core.RedisConnectionException.create(RedisConnectionException.java:78)
                """;
        assertTop(previous(text), 4, Kind.DEPENDENCY_UNREACHABLE);
        assertThat(top(previous(text)).related()).extracting(l -> l.number()).contains(1, 2);
        assertThat(top(previous(text)).line().text()).startsWith("2026-11-21T10:00:00.000000004Z Caused by:");
    }

    @Test
    void hundredThousandLinesAreFast() {
        String text = chatter(100_000, 0) + "2026-11-21 10:00:00 ERROR Environment variable DEPLOY_ENV is undefined\n";
        ContainerLog big = previous(text);
        classifier.classify(big); // warm up
        long t0 = System.nanoTime();
        List<LogSignal> signals = classifier.classify(big);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(signals.get(0).line().number()).isEqualTo(100_001);
        assertThat(ms).as("classify 100k lines in %d ms", ms).isLessThan(5000); // generous: the machine is shared; typically ~250 ms
        System.out.println("LogErrorClassifier: 100,001 lines in " + ms + " ms");
    }
}

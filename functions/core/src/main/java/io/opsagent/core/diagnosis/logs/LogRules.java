package io.opsagent.core.diagnosis.logs;

import io.opsagent.core.diagnosis.logs.LogSignal.Kind;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The catalogue of generic recognition rules, most specific first: the first rule that matches a line decides its
 * kind. No rule names an application; dependencies are named from common words and well-known ports.
 */
final class LogRules {
    private LogRules() {
    }

    private static final int CI = Pattern.CASE_INSENSITIVE;

    private static String[] t(String... triggers) {
        return triggers;
    }

    private static Pattern p(String regex) {
        return Pattern.compile(regex, CI);
    }

    private static String g(Matcher m, int group) {
        if (m == null || m.groupCount() < group) {
            return null;
        }
        return m.group(group);
    }

    private static String firstGroup(Matcher m) {
        if (m == null) {
            return null;
        }
        for (int i = 1; i <= m.groupCount(); i++) {
            if (m.group(i) != null) {
                return m.group(i);
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- missing configuration

    private static final Pattern CONFIG_PATH = p("([\\w./~-]*(?:/etc/|conf|config|settings|secret|credential)[\\w./-]*"
            + "|[\\w./~-]+\\.(?:ya?ml|json|conf|cfg|ini|toml|properties|env|xml|pem|key|crt))");

    static final LogRule ENV_UNDEFINED = new LogRule(Kind.MISSING_CONFIG, 90,
            t("environment variable", "env var", "envvar", "env variable"),
            p("(?:environment variable|env(?:ironment)?[ _-]?var(?:iable)?)s?[\\s:]*[\"'`]?([A-Za-z_][A-Za-z0-9_.]*)[\"'`]?"
                    + "\\s*(?:is |was |has )?(?:not (?:been )?(?:set|defined|provided|found)|undefined|missing|required|empty|unset)"
                    + "|(?:missing|required|undefined|unset|no)\\s+(?:required\\s+)?(?:environment variable|env(?:ironment)?[ _-]?var(?:iable)?)s?[\\s:]*[\"'`]?([A-Za-z_][A-Za-z0-9_]*)"
                    + "|[\"'`]?([A-Z][A-Z0-9_]{2,})[\"'`]? (?:environment variable|env var) (?:is )?(?:not set|undefined|missing|required|empty)"),
            (line, lower, m) -> "the application exits because environment variable " + firstGroup(m) + " is not set");

    static final LogRule REQUIRED_KEY = new LogRule(Kind.MISSING_CONFIG, 88,
            t("required key", "keyerror", "placeholder", "missing required", "required config", "required setting",
                    "required property", "is not specified", "missing config", "missing mandatory"),
            p("required key ([\\w.-]+) missing"
                    + "|(?-i:KeyError: ['\"]([A-Z][A-Z0-9_]{2,})['\"])"
                    + "|Could not resolve placeholder '([^']+)'"
                    + "|missing (?:required|mandatory) (?:config(?:uration)?|setting|property|parameter|option)s?(?:[\\s:]+[\"'`]?([\\w.-]+))?"
                    + "|required (?:config(?:uration)?|setting|property|parameter|option) [\"'`]?([\\w.-]+)[\"'`]? (?:is )?(?:missing|not set|not provided)"
                    + "|'([\\w.-]+)' attribute is not specified"
                    + "|missing config(?:uration)?(?: value| key)?[\\s:]+[\"'`]?([\\w.-]+)"),
            (line, lower, m) -> {
                String key = firstGroup(m);
                if (lower.contains("placeholder")) {
                    return "the application cannot start because configuration property '" + key + "' is not set";
                }
                if (lower.contains("keyerror")) {
                    return "the application fails because setting " + key + " (an environment variable or configuration key) is missing";
                }
                return key == null ? "a required configuration value is missing"
                        : "the application exits because required configuration " + key + " is missing";
            });

    static final LogRule CONFIG_FILE_MISSING = new LogRule(Kind.MISSING_CONFIG, 80,
            t("no such file", "enoent", "filenotfound", "not found", "does not exist", "cannot find", "could not find"),
            p("(?:no such file or directory|ENOENT|FileNotFound(?:Error|Exception)|(?:file|config(?:uration)?) (?:\\S+ )?(?:not found|does not exist))"),
            (line, lower, m) -> {
                Matcher c = CONFIG_PATH.matcher(line);
                while (c.find()) {
                    String path = c.group(1);
                    if (path.length() > 3 && (path.contains("/") || path.contains("."))) {
                        return "configuration file " + path + " is missing";
                    }
                }
                return null;
            });

    // ---------------------------------------------------------------- TLS / certificates

    static final LogRule TLS = new LogRule(Kind.TLS_CERTIFICATE, 85,
            t("x509", "certificate", "sslhandshake", "pkix", "tls:", "ssl routines", "cert_has_expired",
                    "unable_to_verify", "self signed", "self-signed", "handshake_failure", "sslexception", "ssl error",
                    "tls handshake"),
            p("x509:|certificate (?:has )?expired|certificate (?:is not valid|verify failed|is valid for|not yet valid)"
                    + "|unknown (?:certificate )?authority|bad certificate|SSLHandshake|PKIX path|tls: (?!handshake error from)"
                    + "|SSL routines|CERT_HAS_EXPIRED|UNABLE_TO_VERIFY|self[- ]signed certificate|handshake_failure"
                    + "|SSLException|SSL error|TLS handshake (?:failed|timeout)|certificate (?:validation|verification) failed"),
            (line, lower, m) -> {
                if (lower.contains("handshake error from")) {
                    return null; // a client (often a load balancer probe) hung up during the handshake: noise
                }
                String who = Dependencies.address(line);
                String at = who == null ? "" : " (" + who + ")";
                if (lower.contains("expired") || lower.contains("not yet valid")) {
                    return "a TLS certificate has expired or is not yet valid" + at;
                }
                if (lower.contains("unknown authority") || lower.contains("pkix") || lower.contains("unable to get local issuer")
                        || lower.contains("unable_to_verify") || lower.contains("self signed") || lower.contains("self-signed")) {
                    return "the server's TLS certificate is not trusted (unknown or missing certificate authority)" + at;
                }
                if (lower.contains("is valid for") || lower.contains("doesn't match") || lower.contains("does not match")
                        || lower.contains("hostname mismatch")) {
                    return "the TLS certificate does not match the host name" + at;
                }
                if (lower.contains("bad certificate")) {
                    return "the TLS peer rejects the client certificate (tls: bad certificate)" + at;
                }
                return "the TLS handshake fails" + at;
            });

    // ---------------------------------------------------------------- resources of the machine

    static final LogRule DISK_FULL = new LogRule(Kind.DISK_FULL, 85,
            t("no space left", "enospc", "disk full", "disk quota exceeded", "disk is full"),
            null,
            (line, lower, m) -> "the disk is full (no space left on device)");

    static final LogRule OOM = new LogRule(Kind.OUT_OF_MEMORY, 85,
            t("outofmemory", "out of memory", "memoryerror", "cannot allocate memory", "allocation failed",
                    "std::bad_alloc"),
            p("OutOfMemoryError(?::\\s*(.+))?|JavaScript heap out of memory|^\\s*MemoryError\\b|\\bMemoryError:?\\s*$"
                    + "|runtime: out of memory|Cannot allocate memory|out of memory|Allocation failed|std::bad_alloc"),
            (line, lower, m) -> {
                if (lower.contains("javascript heap")) {
                    return "the Node.js process runs out of heap memory (JavaScript heap out of memory)";
                }
                if (lower.contains("outofmemoryerror")) {
                    String what = g(m, 1);
                    return "the JVM runs out of memory (OutOfMemoryError" + (what == null ? "" : ": " + what.strip()) + ")";
                }
                return "the application runs out of memory";
            });

    static final LogRule PORT_IN_USE = new LogRule(Kind.PORT_IN_USE, 85,
            t("address already in use", "eaddrinuse", "bindexception", "already in use", "address in use"),
            p("address already in use|EADDRINUSE|BindException|port (\\d+) (?:is|was) already in use|address in use"),
            (line, lower, m) -> {
                String port = g(m, 1);
                String addr = port != null ? port : Dependencies.address(line);
                return "the application cannot listen" + (addr == null ? "" : " on " + addr)
                        + " because the address is already in use";
            });

    // ---------------------------------------------------------------- authentication

    private static final Pattern USER = p("(?:for user|user:?) [\"'`]?([\\w.@$-]+)[\"'`]?");

    static final LogRule AUTH = new LogRule(Kind.AUTH_FAILURE, 85,
            t("authentication fail", "access denied", "accessdenied", "unauthorized", "forbidden", "invalid credentials",
                    "bad credentials", "authenticationexception", "expiredtoken", "token expired", "token has expired",
                    "token is expired", "not authorized", "invalidaccesskeyid", "signaturedoesnotmatch",
                    "unrecognizedclient", "nocredentialproviders", "unable to load credentials",
                    "unable to load aws credentials", "noauth", "wrongpass", "auth failed", "login failed",
                    "invalid password", "invalid api key", "invalid token", "jwt expired", "permission denied for",
                    "authentication required", "invalid username or password", "security token"),
            p("authentication failed|authentication failure|access denied|AccessDenied|\\b401\\b|\\b403\\b|Unauthori[sz]ed"
                    + "|invalid credentials|bad credentials|AuthenticationException|ExpiredToken|token (?:has |is )?expired"
                    + "|not authorized|InvalidAccessKeyId|SignatureDoesNotMatch|UnrecognizedClient|NoCredentialProviders"
                    + "|Unable to load (?:AWS )?credentials|NOAUTH|WRONGPASS|auth failed|login failed|invalid password"
                    + "|invalid api key|invalid token|jwt expired|permission denied for|authentication required"
                    + "|invalid username or password|security token"),
            (line, lower, m) -> {
                String user = null;
                Matcher u = USER.matcher(line);
                if (u.find()) {
                    user = u.group(1);
                }
                String dep = Dependencies.name(lower, Dependencies.address(line));
                if (dep == null && lower.contains("password authentication failed for user")) {
                    dep = "PostgreSQL";
                } else if (dep == null && lower.contains("access denied for user '")) {
                    dep = "MySQL";
                }
                String who = dep == null ? "the server" : dep;
                if (lower.contains("password authentication failed") || lower.contains("access denied for user")) {
                    return who + " rejects the credentials" + (user == null ? "" : " of user " + user);
                }
                if (lower.contains("permission denied for")) {
                    return "the database user" + (user == null ? "" : " " + user) + " lacks a privilege ("
                            + LogMessages.shorten(line.substring(lower.indexOf("permission denied for"))) + ")";
                }
                if (lower.contains("expiredtoken") || lower.contains("expired")) {
                    return "the credentials or token the application uses have expired";
                }
                if (lower.contains("nocredentialproviders") || lower.contains("unable to load")) {
                    return "the application finds no cloud credentials";
                }
                if (lower.contains("accessdenied") || lower.contains("not authorized") || lower.contains("403")
                        || lower.contains("forbidden")) {
                    return who.equals("the server") ? "the application is not allowed to perform a call (access denied / 403)"
                            : who + " denies access (403 / access denied)";
                }
                if (lower.contains("noauth") || lower.contains("authentication required")) {
                    return who + " requires authentication but the application sends no credentials";
                }
                return who + " rejects the application's credentials (authentication failure)";
            });

    // ---------------------------------------------------------------- permissions

    static final LogRule PERMISSION = new LogRule(Kind.PERMISSION_DENIED, 75,
            t("permission denied", "eacces", "read-only file system", "operation not permitted", "eperm",
                    "java.nio.file.accessdeniedexception"),
            p("permission denied|EACCES|read-only file system|operation not permitted|EPERM|java\\.nio\\.file\\.AccessDeniedException"),
            (line, lower, m) -> {
                Matcher c = Pattern.compile("(/[\\w./-]+)").matcher(line);
                String path = c.find() ? c.group(1) : null;
                String on = path == null ? "" : " on " + path;
                if (lower.contains("read-only file system")) {
                    return "the application cannot write" + on + " because the file system is read-only";
                }
                return "the application is denied access" + on + " (permission denied)";
            });

    // ---------------------------------------------------------------- dependencies

    static final LogRule DEPENDENCY = new LogRule(Kind.DEPENDENCY_UNREACHABLE, 80,
            t("connection refused", "econnrefused", "i/o timeout", "no such host", "could not connect",
                    "connection timed out", "unknownhostexception", "enotfound", "eai_again", "name or service not known",
                    "temporary failure in name resolution", "could not translate host name", "can't connect to",
                    "communications link failure", "connectexception", "unable to connect", "failed to connect",
                    "cannot connect", "couldn't connect", "connection reset", "broker may not be available",
                    "no route to host", "network is unreachable", "etimedout", "ehostunreach", "connect timed out",
                    "redisconnectionexception", "connectionerror", "host not found in upstream", "upstream timed out",
                    "connect() failed", "could not be established", "connection to", "error connecting",
                    "error while connecting", "timeout expired while fetching", "nodename nor servname",
                    "failed to establish a new connection", "server selection timeout", "serverselectiontimeout",
                    "connection closed by peer", "no connection could be made", "failed to resolve",
                    "nameresolutionerror", "could not resolve host", "max retries exceeded"),
            p("connection refused|ECONNREFUSED|i/o timeout|no such host|could not connect|connection timed out"
                    + "|UnknownHostException|ENOTFOUND|EAI_AGAIN|Name or service not known|Temporary failure in name resolution"
                    + "|could not translate host name|can't connect to|Communications link failure|ConnectException"
                    + "|unable to connect|failed to connect|cannot connect|couldn't connect|connection reset"
                    + "|Broker may not be available|no route to host|network is unreachable|ETIMEDOUT|EHOSTUNREACH"
                    + "|connect timed out|RedisConnectionException|ConnectionError|host not found in upstream"
                    + "|upstream timed out|connect\\(\\) failed|could not be established|connection to \\S+ (?:\\S+ )?(?:failed|refused)"
                    + "|error (?:while )?connecting|Timeout expired while fetching|nodename nor servname"
                    + "|Failed to establish a new connection|server ?selection ?timeout|connection closed by peer"
                    + "|No connection could be made|Failed to resolve|NameResolutionError|Could not resolve host"
                    + "|Max retries exceeded"),
            (line, lower, m) -> {
                String dep = Dependencies.describe(line, lower);
                if (lower.contains("no such host") || lower.contains("unknownhost") || lower.contains("enotfound")
                        || lower.contains("eai_again") || lower.contains("name or service not known")
                        || lower.contains("name resolution") || lower.contains("translate host name")
                        || lower.contains("host not found") || lower.contains("nodename nor servname")
                        || lower.contains("failed to resolve") || lower.contains("nameresolutionerror")
                        || lower.contains("could not resolve host")) {
                    String address = Dependencies.address(line);
                    String host = address == null ? null
                            : address.lastIndexOf(':') > 0 ? address.substring(0, address.lastIndexOf(':')) : address;
                    String what = Dependencies.name(lower, address);
                    if (host != null) {
                        return (what == null ? "the host name " : what + "'s host name ") + host
                                + " cannot be resolved (DNS lookup fails)";
                    }
                    return dep.equals("a dependency") ? "a host name cannot be resolved (DNS lookup fails)"
                            : "the host name of " + dep + " cannot be resolved (DNS lookup fails)";
                }
                if (lower.contains("refused") || lower.contains("(111")) {
                    return capitalize(dep) + " refuses connections";
                }
                if (lower.contains("timeout") || lower.contains("timed out")) {
                    return capitalize(dep) + " does not answer (connection timed out)";
                }
                if (lower.contains("no route") || lower.contains("unreachable")) {
                    return capitalize(dep) + " is unreachable (no route to host)";
                }
                if (lower.contains("reset") || lower.contains("closed by peer")) {
                    return capitalize(dep) + " resets the connection";
                }
                return "the application cannot connect to " + dep;
            });

    /** A stored procedure or query named in the same line ({@code sp_CheckUserNotifications}). */
    private static final Pattern PROCEDURE = Pattern.compile("\\b(sp_\\w+|usp_\\w+)\\b");

    /** A call reported as taking this long or longer is slow. */
    static final double SLOW_SECONDS = 2.0;

    static final LogRule SLOW_CALL = new LogRule(Kind.SLOW_DEPENDENCY, 78,
            t("completed in", "took", "elapsed", "duration", "finished in", "slow query", "query time"),
            p("(?i)\\b(database|db|query|sql|stored procedure|procedure|redis|cache|upstream|api|rpc|http|backend|service)\\b"
                    + "[^\\n]{0,60}?\\b(?:completed in|took|elapsed|duration|finished in|query time)\\s*[:=]?\\s*"
                    + "(\\d+(?:\\.\\d+)?)\\s*(ms|milliseconds|s|sec|secs|seconds)\\b"),
            (line, lower, m) -> {
                double v = Double.parseDouble(m.group(2));
                double secs = m.group(3).toLowerCase(java.util.Locale.ROOT).startsWith("m") ? v / 1000.0 : v;
                if (secs < SLOW_SECONDS) return null;
                String what = m.group(1).toLowerCase(java.util.Locale.ROOT);
                String dep = switch (what) {
                    case "db", "sql", "query", "stored procedure", "procedure" -> "database";
                    default -> what;
                };
                java.util.regex.Matcher proc = PROCEDURE.matcher(line);
                return dep + " calls are slow: one took " + m.group(2) + " " + (m.group(3).startsWith("m") ? "ms" : "s")
                        + (proc.find() ? " (" + proc.group(1) + ")" : "");
            });

    // ---------------------------------------------------------------- crashes

    static final LogRule PANIC = new LogRule(Kind.PANIC, 80,
            t("panic", "segmentation fault", "sigsegv", "core dumped", "fatal error:", "stack smashing",
                    "sigabrt", "sigbus", "double free"),
            p("^\\s*panic: (.*)|panicked at (.*)|(Segmentation fault|SIGSEGV|core dumped|SIGABRT|SIGBUS|stack smashing|double free)"
                    + "|^\\s*fatal error: (.*)"),
            (line, lower, m) -> {
                String msg = firstGroup(m);
                if (g(m, 3) != null) {
                    return "the process crashes (" + g(m, 3) + ")";
                }
                if (g(m, 4) != null) {
                    return "the runtime aborts: " + LogMessages.shorten(msg);
                }
                return "the application panics: " + LogMessages.shorten(msg == null ? line : msg);
            });

    static final LogRule UNCAUGHT = new LogRule(Kind.EXCEPTION, 62,
            t("exception in thread", "uncaught", "unhandled"),
            p("Exception in thread \"?([^\"]*)\"? (\\S+?)(?::\\s*(.*))?$|(?:Uncaught|Unhandled)\\w*(?: exception| rejection| error)?\\W*(.*)"),
            (line, lower, m) -> {
                if (g(m, 2) != null) {
                    return "the application dies on an uncaught " + simpleName(g(m, 2))
                            + (g(m, 3) == null || g(m, 3).isBlank() ? "" : ": " + LogMessages.shorten(g(m, 3)));
                }
                return "the application dies on an unhandled error: " + LogMessages.message(line);
            });

    static final LogRule START_FAILED = new LogRule(Kind.FATAL_ERROR, 48,
            t("failed to start", "application run failed", "startup failed", "unable to start", "cannot start",
                    "could not start", "failed to initialize", "failed to initialise", "initialization failed",
                    "exited with code", "exit status", "exiting with", "shutting down due to", "terminating due to"),
            p("failed to start|application run failed|startup failed|unable to start|cannot start|could not start"
                    + "|failed to initiali[sz]e|initiali[sz]ation failed|exited with code (\\d+)|exit status (\\d+)"
                    + "|exiting with (?:status|code) (\\d+)|shutting down due to|terminating due to"),
            (line, lower, m) -> {
                String code = firstGroup(m);
                if (code != null) {
                    return "0".equals(code) ? null : "the process exits with code " + code;
                }
                return "the application fails to start: " + LogMessages.message(line);
            });

    /** Every rule, in the order they are tried. */
    static final List<LogRule> ALL = List.of(ENV_UNDEFINED, REQUIRED_KEY, TLS, DISK_FULL, OOM, PORT_IN_USE, AUTH,
            PERMISSION, DEPENDENCY, SLOW_CALL, CONFIG_FILE_MISSING, PANIC, UNCAUGHT, START_FAILED);

    // ---------------------------------------------------------------- exception lines (in stack traces)

    /** {@code pkg.SomeException: message} or {@code SomeError: message} at the start of a (trimmed) line. */
    static final Pattern EXCEPTION_LINE = Pattern.compile(
            "^(?:Caused by: |Suppressed: |Exception in thread \"[^\"]*\" )?((?:[a-zA-Z_$][\\w$]*\\.)*(?:[A-Z][\\w$]*)?"
                    + "(?:Exception|Error|Exit|Interrupt|Failure|Fault|Warning))(?::\\s*(.*))?$");

    static String simpleName(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? className : className.substring(dot + 1);
    }

    static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}

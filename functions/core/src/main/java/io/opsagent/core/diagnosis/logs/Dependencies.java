package io.opsagent.core.diagnosis.logs;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the dependency a connection error is about: its address (host:port as written in the line) and what it
 * is (PostgreSQL, Redis...), from words of the line or the well-known port. Generic: no application names.
 */
final class Dependencies {
    private Dependencies() {
    }

    private static final String HOST = "(?:\\[[0-9a-fA-F:]+\\]|(?:\\d{1,3}\\.){3}\\d{1,3}|[A-Za-z][A-Za-z0-9_-]*(?:\\.[A-Za-z0-9_-]+)*)";

    /** Address patterns, most explicit first; group 1 is the address. */
    private static final List<Pattern> ADDRESS = List.of(
            Pattern.compile("dial tcp (" + HOST + ":\\d{1,5})"),
            Pattern.compile("@tcp\\((" + HOST + ":\\d{1,5})\\)"),
            Pattern.compile("host='(" + HOST + ")', port=(\\d{1,5})"),
            Pattern.compile("(?i)(?:Failed to resolve|Could not resolve host:?) '?(" + HOST + ")'?"),
            Pattern.compile("(?i)(?:ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ECONNRESET) (" + HOST + ":\\d{1,5})"),
            Pattern.compile("(?i)server at \"([^\"]+)\"(?: \\([^)]*\\))?, port (\\d{1,5})"),
            Pattern.compile("(?i)Can't connect to (?:MySQL|MariaDB) server on '([^']+)'"),
            Pattern.compile("(?i)upstream: \"[a-z]+://(" + HOST + "(?::\\d{1,5})?)"),
            Pattern.compile("(?i)host not found in upstream \"([^\"]+)\""),
            Pattern.compile("(?i)(?:lookup|ENOTFOUND|EAI_AGAIN|UnknownHostException:|translate host name \"?) ?\"?([A-Za-z0-9_.-]+)"),
            Pattern.compile("(?i)\\bhost \"([^\"]+)\"(?: \\([^)]*\\))? and accepting TCP/IP connections on port (\\d{1,5})"),
            Pattern.compile("(?:^|[\\s\"'(/@=,\\[])(" + HOST + ":\\d{2,5})(?!\\d)(?!\\.\\d)"));

    private static final Map<String, String> WORDS = Map.ofEntries(
            Map.entry("postgres", "PostgreSQL"), Map.entry("psql", "PostgreSQL"), Map.entry("pq:", "PostgreSQL"),
            Map.entry("mysql", "MySQL"), Map.entry("mariadb", "MySQL"),
            Map.entry("redis", "Redis"), Map.entry("lettuce", "Redis"), Map.entry("jedis", "Redis"),
            Map.entry("kafka", "Kafka"), Map.entry("mongo", "MongoDB"), Map.entry("rabbitmq", "RabbitMQ"),
            Map.entry("amqp", "RabbitMQ"), Map.entry("elasticsearch", "Elasticsearch"),
            Map.entry("memcache", "Memcached"), Map.entry("zookeeper", "ZooKeeper"), Map.entry("cassandra", "Cassandra"),
            Map.entry("nats", "NATS"), Map.entry("upstream", "the upstream server"));

    /** Checked in this order so that "redis" in a PostgreSQL line's host name does not win over "psql". */
    private static final List<String> WORD_ORDER = List.of("postgres", "psql", "pq:", "mysql", "mariadb", "redis",
            "lettuce", "jedis", "kafka", "mongo", "rabbitmq", "amqp", "elasticsearch", "memcache", "zookeeper",
            "cassandra", "nats", "upstream");

    private static final Map<String, String> PORTS = Map.ofEntries(
            Map.entry("5432", "PostgreSQL"), Map.entry("3306", "MySQL"), Map.entry("6379", "Redis"),
            Map.entry("9092", "Kafka"), Map.entry("27017", "MongoDB"), Map.entry("5672", "RabbitMQ"),
            Map.entry("9200", "Elasticsearch"), Map.entry("11211", "Memcached"), Map.entry("2181", "ZooKeeper"),
            Map.entry("9042", "Cassandra"), Map.entry("4222", "NATS"));

    /** The address the line names (e.g. {@code 10.100.23.7:5432}), or null. */
    static String address(String line) {
        for (Pattern p : ADDRESS) {
            Matcher m = p.matcher(line);
            while (m.find()) {
                String a = m.group(1);
                if (m.groupCount() >= 2 && m.group(2) != null) {
                    a = a + ":" + m.group(2);
                }
                if (SOURCE_FILE.matcher(a).find()) continue; // caller=main.go:108 is a source line, not a host
                return trimAddress(a);
            }
        }
        return null;
    }

    /** A source file and line ({@code main.go:108}, {@code App.java:42}) that looks like {@code host:port}. */
    private static final Pattern SOURCE_FILE = Pattern.compile(
            "(?i)\\.(?:go|java|py|js|mjs|ts|rb|c|cc|cpp|h|rs|kt|scala|cs|php|exs?|swift|clj|groovy):\\d+$");

    private static String trimAddress(String a) {
        String s = a;
        while (!s.isEmpty() && ".,;:)".indexOf(s.charAt(s.length() - 1)) >= 0) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** What the dependency is ("PostgreSQL"), or null when neither a word nor the port says it. */
    static String name(String lower, String address) {
        for (String w : WORD_ORDER) {
            if (lower.contains(w)) {
                return WORDS.get(w);
            }
        }
        if (address != null) {
            int colon = address.lastIndexOf(':');
            if (colon > 0) {
                return PORTS.get(address.substring(colon + 1));
            }
        }
        return null;
    }

    /** "PostgreSQL at 10.0.0.5:5432", "redis:6379", "PostgreSQL" or "a dependency". */
    static String describe(String line, String lower) {
        String address = address(line);
        String name = name(lower, address);
        if (name != null && address != null) {
            return name + " at " + address;
        }
        if (address != null) {
            return address;
        }
        return name != null ? name : "a dependency";
    }
}

package io.opsagent.core.logs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Streaming log template miner: one configuration for all logs, no per-source tuning.
 *
 * <p>Each message is split into tokens and the variable part of each token is masked
 * ({@link MessageMasker}); messages with the same masked token sequence form a <em>leaf</em>. Leaves are then
 * grouped into patterns by {@link LeafClusterer} (same token count and leading constant tokens, and the tokens in
 * which they differ behave like variables). {@link #add} returns a provisional id (the leaf's) cheaply; since
 * later lines can show that two leaves are one pattern, {@link #currentId} maps an id returned earlier to its
 * pattern id as of now (clustering runs lazily, only when new leaves appeared; call it after adding, not between
 * adds). Pattern ids are the id of the first leaf of the group, so they follow first appearance. Templates show a
 * masked token's value when it was the same on every line of the pattern. Not thread-safe.
 */
public final class PatternMiner {
    /** How many line numbers each pattern keeps for citations. */
    public static final int SAMPLE_SIZE = 10;
    /** Default number of distinct messages remembered to skip re-masking repeated messages. */
    public static final int DEFAULT_MESSAGE_CACHE = 50_000;

    private final Map<String, Leaf> leavesByKey = new HashMap<>();
    private final Map<String, Leaf> byMessage = new HashMap<>();
    private final List<Leaf> leaves = new ArrayList<>();
    private final int messageCacheLimit;
    private long autoLine;
    private int[] groupOf = new int[0];
    private int clusteredLeaves;

    /** A miner with the default message cache. */
    public PatternMiner() {
        this(DEFAULT_MESSAGE_CACHE);
    }

    /**
     * A miner remembering up to {@code messageCache} distinct messages (0 disables the cache: every message is
     * tokenised and masked). The cache only saves time; it never changes the result.
     */
    public PatternMiner(int messageCache) {
        if (messageCache < 0) {
            throw new IllegalArgumentException("message cache size must be >= 0, got " + messageCache);
        }
        this.messageCacheLimit = messageCache;
    }

    /** Adds a message (the part of the line after any header) and returns its provisional pattern id. */
    public int add(String message) {
        return add(message, autoLine + 1, null);
    }

    /** Adds a message read on {@code lineNumber}, with the line's timestamp text if known (else null). */
    public int add(String message, long lineNumber, String timestamp) {
        return add(message, lineNumber, timestamp, null, null);
    }

    /**
     * Adds a message read on {@code lineNumber}.
     *
     * @param message    the message part of the line (after any header)
     * @param lineNumber the line's number, used for first/last seen and citations
     * @param timestamp  the line's timestamp text, or null
     * @param level      the line's level if the caller knows it (e.g. from a header field), or null to detect it
     *                   from the message
     * @param line       the whole line, kept as the pattern's example; null to keep the message
     * @return a provisional pattern id for the line: pass it to {@link #currentId} once all lines are added to
     *         get the final id (patterns found later can absorb it)
     */
    public int add(String message, long lineNumber, String timestamp, LogLevel level, String line) {
        if (message == null) {
            message = "";
        }
        autoLine = lineNumber;
        Leaf leaf = messageCacheLimit == 0 ? null : byMessage.get(message);
        if (leaf == null) {
            leaf = leafFor(message, line == null ? message : line);
            if (messageCacheLimit > 0) {
                if (byMessage.size() >= messageCacheLimit) {
                    byMessage.clear();
                }
                byMessage.put(message, leaf);
            }
        }
        LogLevel lv = level != null ? level : leaf.messageLevel;
        leaf.record(lineNumber, timestamp, lv);
        return leaf.id;
    }

    /** Adds a whole line, split by {@code format} (null: the whole line is the message). */
    public int addLine(String line, LogFormat format, long lineNumber) {
        if (format == null) {
            return add(line, lineNumber, null, null, line);
        }
        LogFormat.Parsed p = format.parse(line);
        return add(p.message(), lineNumber, p.timestamp(), p.level(), line);
    }

    private Leaf leafFor(String message, String example) {
        List<String> raw = new ArrayList<>();
        String[] tokens = MessageMasker.maskedTokens(message, raw);
        String key = String.join(" ", tokens);
        Leaf leaf = leavesByKey.get(key);
        if (leaf == null) {
            leaf = new Leaf(leaves.size() + 1, tokens, raw.toArray(new String[0]), example,
                    LogLevel.detect(message));
            leaves.add(leaf);
            leavesByKey.put(key, leaf);
        } else {
            leaf.seeValues(raw);
        }
        return leaf;
    }

    private int groupId(int leafId) {
        if (clusteredLeaves < leaves.size()) {
            recluster();
        }
        return groupOf[leafId - 1];
    }

    /** The pattern id a line added earlier belongs to now (groups can merge as more lines arrive). */
    public int currentId(int id) {
        if (id < 1 || id > leaves.size()) {
            throw new IllegalArgumentException("unknown pattern id " + id);
        }
        return groupId(id);
    }

    private void recluster() {
        groupOf = LeafClusterer.cluster(leaves.stream().map(l -> l.tokens).toList());
        clusteredLeaves = leaves.size();
    }

    /** All patterns so far, in id order. */
    public List<LogPattern> patterns() {
        if (clusteredLeaves < leaves.size()) {
            recluster();
        }
        Map<Integer, List<Leaf>> groups = new java.util.TreeMap<>();
        for (Leaf l : leaves) {
            groups.computeIfAbsent(groupOf[l.id - 1], k -> new ArrayList<>()).add(l);
        }
        List<LogPattern> out = new ArrayList<>();
        for (Map.Entry<Integer, List<Leaf>> e : groups.entrySet()) {
            out.add(merge(e.getKey(), e.getValue()));
        }
        return out;
    }

    private static LogPattern merge(int id, List<Leaf> members) {
        Leaf first = members.get(0);
        String[] template = first.tokens.clone();
        for (int i = 0; i < template.length; i++) {
            String value = first.raw[i];
            for (Leaf l : members) {
                if (i >= l.tokens.length || !template[i].equals(l.tokens[i])) {
                    template[i] = MessageMasker.VAR;
                    value = null;
                    break;
                }
                if (value != null && (l.varies[i] || !value.equals(l.raw[i]))) {
                    value = null;
                }
            }
            // a masked token that had the same value on every line is shown as that value
            if (value != null) {
                template[i] = value;
            }
        }
        long count = 0;
        Leaf firstSeen = first;
        Leaf lastSeen = first;
        LogLevel level = LogLevel.UNKNOWN;
        List<Long> sample = new ArrayList<>();
        for (Leaf l : members) {
            count += l.count;
            if (l.firstLine < firstSeen.firstLine) {
                firstSeen = l;
            }
            if (l.lastLine > lastSeen.lastLine) {
                lastSeen = l;
            }
            if (severity(l.level) < severity(level)) {
                level = l.level;
            }
            for (int i = 0; i < l.sampleSize; i++) {
                sample.add(l.sample[i]);
            }
        }
        sample.sort(null);
        if (sample.size() > SAMPLE_SIZE) {
            sample = new ArrayList<>(sample.subList(0, SAMPLE_SIZE));
        }
        return new LogPattern(id, String.join(" ", template), count, firstSeen.firstLine, lastSeen.lastLine,
                firstSeen.firstTimestamp, lastSeen.lastTimestamp, level, firstSeen.example, sample);
    }

    private static int severity(LogLevel l) {
        return l.ordinal();
    }

    /** Distinct masked messages seen so far (for diagnostics and tests). */
    int leafCount() {
        return leaves.size();
    }

    /** One distinct masked message and what was seen of it. */
    private static final class Leaf {
        final int id;
        final String[] tokens;
        /** The text of each token on the leaf's first line, and whether other lines had another text there. */
        final String[] raw;
        final boolean[] varies;
        final String example;
        final LogLevel messageLevel;
        long count;
        long firstLine = Long.MAX_VALUE;
        long lastLine = Long.MIN_VALUE;
        String firstTimestamp;
        String lastTimestamp;
        LogLevel level = LogLevel.UNKNOWN;
        final long[] sample = new long[SAMPLE_SIZE];
        int sampleSize;

        Leaf(int id, String[] tokens, String[] raw, String example, LogLevel messageLevel) {
            this.id = id;
            this.tokens = tokens;
            this.raw = raw;
            this.varies = new boolean[tokens.length];
            this.example = example;
            this.messageLevel = messageLevel;
        }

        void seeValues(List<String> values) {
            for (int i = 0; i < raw.length; i++) {
                if (!varies[i] && !raw[i].equals(values.get(i))) {
                    varies[i] = true;
                }
            }
        }

        void record(long line, String timestamp, LogLevel lv) {
            count++;
            if (line < firstLine) {
                firstLine = line;
                firstTimestamp = timestamp;
            }
            if (line >= lastLine) {
                lastLine = line;
                lastTimestamp = timestamp;
            }
            if (lv != null && lv.ordinal() < level.ordinal()) {
                level = lv;
            }
            if (sampleSize < SAMPLE_SIZE) {
                sample[sampleSize++] = line;
            }
        }
    }

    @Override
    public String toString() {
        return "PatternMiner[" + leaves.size() + " leaves, " + Arrays.stream(groupOf).distinct().count()
                + " patterns]";
    }
}

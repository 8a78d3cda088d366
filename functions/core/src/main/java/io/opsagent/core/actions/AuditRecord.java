package io.opsagent.core.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * One record of the audit log.
 *
 * @param seq        its place in the chain, from 1
 * @param at         when
 * @param type       {@code proposed}, {@code approved}, {@code rejected}, {@code expired}, {@code executed},
 *                   {@code stale}, {@code failed}, {@code verified}
 * @param actor      who (a user, or {@code opsagent} for what the product did itself)
 * @param proposalId the proposal it is about
 * @param workload   {@code namespace/Kind/name}
 * @param action     the action kind ({@code set-resources})
 * @param detail     what exactly (the hash seen, the request sent, the outcome), JSON
 * @param prevHash   the previous record's hash ({@link #GENESIS} for the first)
 * @param hash       SHA-256 of this record's canonical JSON without {@code hash}, which includes {@code prevHash}
 */
public record AuditRecord(long seq, Instant at, String type, String actor, String proposalId, String workload,
                          String action, JsonNode detail, String prevHash, String hash) {
    /** The previous hash of the first record. */
    public static final String GENESIS = "0".repeat(64);

    /** What a caller appends; the log fills in the rest. */
    public record Entry(String type, String actor, String proposalId, String workload, String action, JsonNode detail) {
    }

    /** The chain from 1 to {@code count} is intact, or {@code firstBroken} (its seq) and why. */
    public record Verdict(boolean intact, long count, Long firstBroken, String reason) {
    }

    /** The record that follows {@code prev} (null for the first) with {@code e}, at {@code at}, hashed. */
    public static AuditRecord next(AuditRecord prev, Entry e, Instant at) {
        long seq = prev == null ? 1 : prev.seq() + 1;
        String prevHash = prev == null ? GENESIS : prev.hash();
        AuditRecord r = new AuditRecord(seq, at, e.type(), e.actor(), e.proposalId(), e.workload(), e.action(),
                e.detail() == null ? JsonNodeFactory.instance.objectNode() : e.detail(), prevHash, null);
        return r.withHash(r.computeHash());
    }

    /** SHA-256 over every field but {@code hash}, in canonical JSON. */
    public String computeHash() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("seq", seq).put("at", at.toString()).put("type", type).put("actor", actor).put("proposalId", proposalId)
                .put("workload", workload).put("action", action).put("prevHash", prevHash);
        n.set("detail", detail);
        return Canonical.sha256(Canonical.json(n));
    }

    public AuditRecord withHash(String h) {
        return new AuditRecord(seq, at, type, actor, proposalId, workload, action, detail, prevHash, h);
    }

    /** Checks records in order (from seq 1): each one's hash, and that it points at the one before. */
    public static Verdict verify(Iterable<AuditRecord> inOrder) {
        AuditRecord prev = null;
        long n = 0;
        for (AuditRecord r : inOrder) {
            n++;
            long want = prev == null ? 1 : prev.seq() + 1;
            if (r.seq() != want) {
                return new Verdict(false, n - 1, want, "record " + want + " is missing (the next one is " + r.seq() + ")");
            }
            String wantPrev = prev == null ? GENESIS : prev.hash();
            if (!wantPrev.equals(r.prevHash())) {
                return new Verdict(false, n - 1, r.seq(), "record " + r.seq() + " does not point at record "
                        + (r.seq() - 1) + "'s hash");
            }
            if (!r.computeHash().equals(r.hash())) {
                return new Verdict(false, n - 1, r.seq(), "record " + r.seq() + " was changed after it was written"
                        + " (its hash does not match its content)");
            }
            prev = r;
        }
        return new Verdict(true, n, null, null);
    }

    /** Convenience for details: {@code {"k": "v", ...}} from pairs. */
    public static ObjectNode detail(Object... kv) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            Object v = kv[i + 1];
            if (v == null) n.putNull(String.valueOf(kv[i]));
            else if (v instanceof JsonNode j) n.set(String.valueOf(kv[i]), j);
            else if (v instanceof Number num) n.put(String.valueOf(kv[i]), num.doubleValue() == num.longValue()
                    ? JsonNodeFactory.instance.numberNode(num.longValue()) : JsonNodeFactory.instance.numberNode(num.doubleValue()));
            else if (v instanceof Boolean b) n.put(String.valueOf(kv[i]), b);
            else if (v instanceof List<?> l) {
                var a = n.putArray(String.valueOf(kv[i]));
                l.forEach(x -> a.add(String.valueOf(x)));
            } else n.put(String.valueOf(kv[i]), String.valueOf(v));
        }
        return n;
    }
}

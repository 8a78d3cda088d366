package io.opsagent.core.logs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups leaves (distinct masked token sequences) into patterns, with one generic rule set:
 * <ol>
 *   <li>Leaves with the same token count and first token are candidates (the first token of a message is
 *       nearly always a constant that names the event).</li>
 *   <li>A leaf joins a group when every token either equals the group's token or is covered by a variable at that
 *       position ({@code rhost=<*>} covers {@code rhost=example.org}; {@code (<*>)} covers {@code ()}), i.e. the
 *       two differ only where one of them already shows a variable, and at least half the tokens are equal.</li>
 *   <li>Groups that differ in exactly one position are merged when that position takes many distinct values
 *       (an unmasked variable such as a user name) rather than a few (an enumeration such as a state).</li>
 * </ol>
 */
final class LeafClusterer {
    /** Distinct values at one position that make it a variable (fixed: one configuration for all logs). */
    private static final int MIN_DISTINCT = 3;

    /** Bound on groups compared per new leaf, so pathological logs (all messages distinct) stay linear. */
    private static final int MAX_SCAN = 256;

    private LeafClusterer() {
    }

    private static boolean hasVar(String[] tokens) {
        for (String t : tokens) {
            if (t.contains(MessageMasker.VAR)) {
                return true;
            }
        }
        return false;
    }

    /** Returns, for each leaf (index i = leaf id - 1), the id of its group (the smallest leaf id in it). */
    static int[] cluster(List<String[]> leaves) {
        int n = leaves.size();
        int[] parent = new int[n];
        Map<String, List<Group>> buckets = new LinkedHashMap<>();
        Map<String, List<Group>> varGroups = new HashMap<>();
        List<Group> groups = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String[] t = leaves.get(i);
            String first = t.length == 0 ? "" : t[0];
            if (first.contains(MessageMasker.VAR)) {
                first = MessageMasker.VAR;
            }
            List<Group> bucket = buckets.computeIfAbsent(t.length + " " + first, k -> new ArrayList<>());
            List<Group> withVars = varGroups.computeIfAbsent(t.length + " " + first, k -> new ArrayList<>());
            // two leaves without variables are compatible only if identical, and identical leaves are one leaf:
            // a leaf without variables need only be compared with groups that have some
            List<Group> candidates = hasVar(t) ? bucket : withVars;
            Group joined = null;
            int scanned = 0;
            for (Group g : candidates) {
                if (++scanned > MAX_SCAN) {
                    break;
                }
                if (g.absorbIfCompatible(t)) {
                    joined = g;
                    break;
                }
            }
            if (joined == null) {
                joined = new Group(i, t.clone());
                bucket.add(joined);
                groups.add(joined);
            }
            if (!joined.inVarList && hasVar(joined.template)) {
                joined.inVarList = true;
                withVars.add(joined);
            }
            parent[i] = joined.root;
        }
        // phase 2: merge families that differ in one high-cardinality position
        for (List<Group> bucket : buckets.values()) {
            mergeFamilies(bucket, parent);
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = find(parent, i) + 1;
        }
        return out;
    }

    private static void mergeFamilies(List<Group> bucket, int[] parent) {
        if (bucket.size() < MIN_DISTINCT) {
            return;
        }
        int len = bucket.get(0).template.length;
        for (int p = 1; p < len; p++) {
            Map<String, List<Group>> families = new HashMap<>();
            for (Group g : bucket) {
                if (g.merged) {
                    continue;
                }
                families.computeIfAbsent(g.keyWithout(p), k -> new ArrayList<>()).add(g);
            }
            for (List<Group> fam : families.values()) {
                if (fam.size() >= MIN_DISTINCT) {
                    Group head = fam.get(0);
                    head.template[p] = MessageMasker.VAR;
                    for (Group g : fam.subList(1, fam.size())) {
                        g.merged = true;
                        union(parent, head.root, g.root);
                    }
                }
            }
        }
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra < rb) {
            parent[rb] = ra;
        } else if (rb < ra) {
            parent[ra] = rb;
        }
    }

    /** True when {@code general} is a masked token whose kept prefix and suffix frame {@code other}. */
    static boolean covers(String general, String other) {
        int v = general.indexOf(MessageMasker.VAR);
        if (v < 0) {
            return false;
        }
        int suffixLen = general.length() - v - MessageMasker.VAR.length();
        return other.length() >= v + suffixLen && other.regionMatches(0, general, 0, v)
                && other.regionMatches(other.length() - suffixLen, general, general.length() - suffixLen, suffixLen);
    }

    private static final class Group {
        final int root;
        final String[] template;
        boolean merged;
        boolean inVarList;

        Group(int root, String[] template) {
            this.root = root;
            this.template = template;
        }

        boolean absorbIfCompatible(String[] t) {
            int same = 0;
            for (int i = 0; i < t.length; i++) {
                String a = template[i];
                String b = t[i];
                if (a.equals(b)) {
                    same++;
                } else if (!covers(a, b) && !covers(b, a)) {
                    return false;
                }
            }
            if (same * 2 < t.length) {
                return false;
            }
            for (int i = 0; i < t.length; i++) {
                if (!template[i].equals(t[i]) && !covers(template[i], t[i])) {
                    template[i] = t[i];
                }
            }
            return true;
        }

        String keyWithout(int p) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < template.length; i++) {
                sb.append(i == p ? "\u0000" : template[i]).append('\u0001');
            }
            return sb.toString();
        }
    }
}

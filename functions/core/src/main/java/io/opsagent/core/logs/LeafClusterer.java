package io.opsagent.core.logs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups leaves (distinct masked token sequences) into patterns. Leaves are bucketed by token count and first
 * token; within a bucket a leaf joins the most similar group when enough of its constant tokens agree.
 */
final class LeafClusterer {
    static double threshold = Double.parseDouble(System.getProperty("miner.t", "0.5"));

    private LeafClusterer() {
    }

    /** Returns, for each leaf (index i = leaf id - 1), the id of its group (the smallest leaf id in it). */
    static int[] cluster(List<String[]> leaves, long[] counts) {
        int[] out = new int[leaves.size()];
        Map<String, List<Group>> buckets = new HashMap<>();
        for (int i = 0; i < leaves.size(); i++) {
            String[] t = leaves.get(i);
            String first = t.length == 0 ? "" : t[0];
            if (first.contains(MessageMasker.VAR)) {
                first = MessageMasker.VAR;
            }
            List<Group> bucket = buckets.computeIfAbsent(t.length + " " + first, k -> new ArrayList<>());
            Group best = null;
            double bestSim = -1;
            for (Group g : bucket) {
                double sim = g.similarity(t);
                if (sim > bestSim) {
                    bestSim = sim;
                    best = g;
                }
            }
            if (best != null && bestSim >= threshold) {
                best.absorb(t);
                out[i] = best.id;
            } else {
                Group g = new Group(i + 1, t.clone());
                bucket.add(g);
                out[i] = g.id;
            }
        }
        return out;
    }

    private static final class Group {
        final int id;
        final String[] template;

        Group(int id, String[] template) {
            this.id = id;
            this.template = template;
        }

        double similarity(String[] t) {
            if (t.length == 0) {
                return 1;
            }
            int same = 0;
            for (int i = 0; i < t.length; i++) {
                if (template[i].equals(t[i])) {
                    same++;
                }
            }
            return (double) same / t.length;
        }

        void absorb(String[] t) {
            for (int i = 0; i < t.length; i++) {
                if (!template[i].equals(t[i])) {
                    template[i] = MessageMasker.VAR;
                }
            }
        }
    }
}

package io.opsagent.core.input.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a recorded {@code kubectl ...} command line says about its output: the verb, the resource kind and name,
 * the namespace, the container and whether {@code --previous} was given. Any part may be null when not stated.
 */
record KubectlCommand(String verb, String kind, String name, String namespace, String container, boolean previous,
                      boolean allNamespaces, String output) {

    static final KubectlCommand NONE = new KubectlCommand(null, null, null, null, null, false, false, null);

    private static final Pattern COMMAND_LINE =
            Pattern.compile("^\\s*(?:[$#>%]|PS>|[\\w.@~:/-]*[$#])?\\s*(?:sudo\\s+)?(?:kubectl|k|oc)\\s+(\\S.*)$");

    /** The command on {@code text} if it is a kubectl command line, else null. */
    static KubectlCommand parseLine(String text) {
        if (text == null) return null;
        Matcher m = COMMAND_LINE.matcher(text);
        if (!m.matches()) return null;
        boolean prompt = !text.trim().startsWith("kubectl") && !text.trim().startsWith("k ") && !text.trim().startsWith("oc ");
        KubectlCommand c = parseArgs(m.group(1));
        if (c == null) return null;
        // without a prompt character, only accept unindented lines that really look like a command (known verb)
        if (!prompt && (!Kinds.isVerb(c.verb()) || Character.isWhitespace(text.charAt(0)))) return null;
        return c;
    }

    /** Parses the words after {@code kubectl}. Returns null when there is no verb. */
    static KubectlCommand parseArgs(String args) {
        List<String> words = split(args);
        String verb = null, kind = null, name = null, ns = null, container = null, output = null;
        boolean previous = false, all = false;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.equals("|") || w.equals(">") || w.equals("2>&1") || w.equals("&&") || w.equals(";")) break;
            if (w.startsWith("-")) {
                String flag = w, value = null;
                int eq = w.indexOf('=');
                if (eq > 0) {
                    flag = w.substring(0, eq);
                    value = w.substring(eq + 1);
                }
                switch (flag) {
                    case "-n", "--namespace" -> { if (value == null && i + 1 < words.size()) value = words.get(++i); ns = value; }
                    case "-c", "--container" -> { if (value == null && i + 1 < words.size()) value = words.get(++i); container = value; }
                    case "-o", "--output" -> { if (value == null && i + 1 < words.size()) value = words.get(++i); output = value; }
                    case "-l", "--selector", "--field-selector", "--for", "--context", "--tail", "--since",
                            "--sort-by", "--kubeconfig", "--types", "--since-time", "--cluster", "--user" -> {
                        if (value == null && i + 1 < words.size()) value = words.get(++i);
                        if (flag.equals("--for") && value != null) {
                            int slash = value.indexOf('/');
                            if (slash > 0) { kind = Kinds.canonical(value.substring(0, slash)); name = value.substring(slash + 1); }
                        }
                    }
                    case "-p", "--previous" -> previous = value == null || !value.equals("false");
                    case "-A", "--all-namespaces" -> all = true;
                    default -> {
                        if (flag.startsWith("-o") && flag.length() > 2 && !flag.startsWith("--")) output = flag.substring(2);
                        if (flag.startsWith("-n") && flag.length() > 2 && !flag.startsWith("--")) ns = flag.substring(2);
                    }
                }
                continue;
            }
            if (verb == null) { verb = w; continue; }
            if ("logs".equals(verb) || "log".equals(verb)) {
                if (name == null) {
                    int slash = w.indexOf('/');
                    if (slash > 0) { kind = Kinds.canonical(w.substring(0, slash)); name = w.substring(slash + 1); }
                    else { kind = "Pod"; name = w; }
                } else if (container == null) {
                    container = w;
                }
                continue;
            }
            if (kind == null) {
                int slash = w.indexOf('/');
                if (slash > 0) { kind = Kinds.canonical(w.substring(0, slash)); name = w.substring(slash + 1); }
                else kind = Kinds.canonical(w.contains(",") ? w.substring(0, w.indexOf(',')) : w);
            } else if (name == null) {
                name = w;
            }
        }
        if (verb == null) return null;
        return new KubectlCommand(verb, kind, name, ns, container, previous, all, output);
    }

    boolean isLogs() {
        return "logs".equals(verb) || "log".equals(verb);
    }

    private static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        boolean any = false;
        for (char ch : s.toCharArray()) {
            if (quote != 0) {
                if (ch == quote) quote = 0; else cur.append(ch);
            } else if (ch == '\'' || ch == '"') {
                quote = ch; any = true;
            } else if (Character.isWhitespace(ch)) {
                if (cur.length() > 0 || any) { out.add(cur.toString()); cur.setLength(0); any = false; }
            } else {
                cur.append(ch);
            }
        }
        if (cur.length() > 0 || any) out.add(cur.toString());
        return out;
    }
}

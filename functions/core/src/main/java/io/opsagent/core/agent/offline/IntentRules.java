package io.opsagent.core.agent.offline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The offline analyst's question rules, tried in this order (first match wins):
 * <ol>
 *   <li>UNSUPPORTED — predictions and things outside the data: predict, forecast, "will it", tomorrow, cost, who …</li>
 *   <li>WRITE — asks to change something: restart, scale, roll back, delete, apply, patch, set image</li>
 *   <li>"more" follow-ups ("show more", "more", "continue", "go on") — the previous question again, with more</li>
 *   <li>OTHER_POD — "the other pod", "another pod", "second pod"</li>
 *   <li>FIX — fix, remediate, resolve, solve, "what should I do", workaround</li>
 *   <li>DIAGNOSE — a question starting with "why"</li>
 *   <li>SEARCH — a quoted phrase, or search/grep/look for/find/mention/containing (keywords: the words after
 *       "for", "containing", "mentioning", "about", stop words dropped)</li>
 *   <li>CHANGES — changed, change, history, revision, rollout, release, version, deployed</li>
 *   <li>ERRORS — error/exception/stack trace/fatal/panic/warning words together with logs, show, list, any, which,
 *       or a time expression (level warn when only warnings are asked)</li>
 *   <li>DIAGNOSE — why, failing, crash, broken, wrong, problem, issue, root cause, down, not working, investigate</li>
 *   <li>SERVICE — service, endpoint, traffic; RESOURCES — memory, cpu, resources, usage, limits, OOM;
 *       PATTERNS — pattern, summarise logs, noisy; EVENTS — event; PODS — pods, replicas;
 *       HEALTH — healthy, health, ok, status, running, ready, probe; DESCRIBE — describe, details, spec, config;
 *       a bare "logs" → PATTERNS</li>
 *   <li>UNKNOWN otherwise.</li>
 * </ol>
 * Time expressions: "since 10:00", "after 9:30", "before/until 11:00", "between 9:00 and 9:30",
 * "last/past 30 minutes", "last 2 hours", "last hour", "today" is ignored.
 */
public final class IntentRules {
    private static final Pattern SINCE = Pattern.compile("\\b(?:since|after|from)\\s+(\\d{1,2}:\\d{2}(?::\\d{2})?)");
    private static final Pattern UNTIL = Pattern.compile("\\b(?:until|till|before|to)\\s+(\\d{1,2}:\\d{2}(?::\\d{2})?)");
    private static final Pattern BETWEEN = Pattern.compile("\\bbetween\\s+(\\d{1,2}:\\d{2})\\s+and\\s+(\\d{1,2}:\\d{2})");
    private static final Pattern LAST = Pattern.compile("\\b(?:last|past|previous)\\s+(\\d+)\\s*(minutes?|mins?|m|hours?|hrs?|h|seconds?|secs?|s|days?|d)\\b");
    private static final Pattern LAST_ONE = Pattern.compile("\\b(?:last|past)\\s+(minute|hour|day)\\b");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"|“([^”]+)”|'([^']{2,})'|`([^`]+)`");
    private static final Pattern SEARCH_WORDS = Pattern.compile(
            "\\b(?:for|containing|contains|mentioning|mention|mentions|about|with|matching)\\s+(.+)$");
    private static final Set<String> STOP = Set.of("the", "a", "an", "in", "of", "logs", "log", "lines", "line",
            "me", "any", "all", "errors", "messages", "please", "it", "its", "pod", "pods", "and", "or", "word", "string",
            "show", "find", "search", "grep", "look", "for");

    private IntentRules() {
    }

    /**
     * Classifies {@code question}; {@code previousQuestion} (the last earlier user message, or null) is used for
     * "more" follow-ups.
     */
    public static Intent classify(String question, String previousQuestion) {
        String q = question.toLowerCase(Locale.ROOT).strip();
        String since = null;
        String until = null;
        Matcher m = BETWEEN.matcher(q);
        if (m.find()) {
            since = m.group(1);
            until = m.group(2);
        } else {
            m = SINCE.matcher(q);
            if (m.find()) since = m.group(1);
            m = UNTIL.matcher(q);
            if (m.find()) until = m.group(1);
        }
        m = LAST.matcher(q);
        if (since == null && m.find()) since = m.group(1) + m.group(2).charAt(0);
        m = LAST_ONE.matcher(q);
        if (since == null && m.find()) since = "1" + m.group(1).charAt(0);
        List<String> quoted = new ArrayList<>();
        m = QUOTED.matcher(question);
        while (m.find()) {
            for (int g = 1; g <= 4; g++) if (m.group(g) != null) quoted.add(m.group(g).strip());
        }
        boolean time = since != null || until != null;

        if (has(q, "\\bpredict|\\bforecast|\\bwill (it|this|they)\\b|\\bgoing to (fail|crash|happen|break)|\\btomorrow\\b"
                + "|\\bnext (week|month|hour)\\b|\\bhow much (does|will) .* cost|\\bcost\\b|\\bbill|\\bwho (deployed|changed|did|made)")) {
            return Intent.of(Intent.Kind.UNSUPPORTED);
        }
        if (has(q, "\\bcancel\\b|\\babort the change|\\bstop the (failing |running )?change")) return Intent.of(Intent.Kind.CANCEL);
        if (has(q, "\\bapprovals?\\b|\\bawaiting (my |an )?(approval|decision)|\\bwaiting for (my |an )?(approval|decision)"
                + "|\\bpending (changes|proposals|decisions)|\\bneeds? (my )?approval")) {
            return Intent.of(Intent.Kind.APPROVALS);
        }
        if (has(q, "\\bchanges? (are |is )?(running|in flight|in progress|going on|under way)|\\b(running|in-flight|ongoing) changes"
                + "|\\bchange chain|\\bchanges (of|for) (this|it)\\b|\\blist (the )?changes")) {
            return Intent.of(Intent.Kind.CHANGE_RUNS);
        }
        if (has(q, "^(please |can you |could you |go ahead and )?(restart|scale|roll ?back|rollback|delete|apply|patch"
                + "|set image|set the image|redeploy|kill|drain|cordon|fix it|fix this|fix the|raise|increase|bump|lower)\\b"
                + "|\\b(can|could|would) you (please )?(restart|scale|roll ?back|delete|apply|patch|fix|raise|increase)\\b"
                + "|\\bapply the fix\\b|\\bgo ahead\\b")) {
            return Intent.of(Intent.Kind.WRITE);
        }
        if (has(q, "^(and )?(show|tell me|give me)? ?more\\b|^more\\b|^continue\\b|^go on\\b|\\bmore (lines|details|errors|evidence)\\b")) {
            if (previousQuestion == null) return Intent.of(Intent.Kind.UNKNOWN);
            return classify(previousQuestion, null).withMore();
        }
        if (has(q, "\\b(other|another|second|remaining|rest of the) pods?\\b")) return Intent.of(Intent.Kind.OTHER_POD);
        if (has(q, "\\bfix|remediat|\\bresolve|\\bsolve|what should i do|what do i do|\\bworkaround|how do i (make|get) it")) {
            return Intent.of(Intent.Kind.FIX);
        }
        if (has(q, "^why\\b")) return Intent.of(Intent.Kind.DIAGNOSE);
        if (!quoted.isEmpty() || has(q, "\\b(search|grep|look for|find|mention|mentions|mentioning|containing)\\b")) {
            List<String> kw = quoted.isEmpty() ? searchWords(q) : quoted;
            if (!kw.isEmpty()) {
                return new Intent(Intent.Kind.SEARCH, since, until, kw, errorLevel(q), false);
            }
        }
        if (has(q, "\\bchang|\\bhistory\\b|\\brevision|\\brollouts?\\b|\\brelease|\\bversion|\\bdeployed\\b|\\bnew image")) {
            return Intent.of(Intent.Kind.CHANGES);
        }
        if (has(q, "\\berror|\\bexception|stack ?trace|\\bfatal|\\bpanic|\\bwarn")
                && (time || has(q, "\\blogs?\\b|\\bshow|\\blist|\\bany\\b|\\bwhich\\b|\\bwhat (are the )?errors|^errors"))) {
            String level = errorLevel(q);
            return new Intent(Intent.Kind.ERRORS, since, until, List.of(), level == null ? "error" : level, false);
        }
        if (has(q, "\\bwhy\\b|\\bfail|\\bcrash|\\bbroken|\\bwrong|\\bproblem|\\bissue|root cause|\\bdown\\b|not working"
                + "|going on|\\binvestigat|\\bdiagnos|\\berror|\\bexplain|\\bnot (starting|ready|running)")) {
            return Intent.of(Intent.Kind.DIAGNOSE);
        }
        if (has(q, "\\bservices?\\b|\\bendpoints?\\b|\\btraffic|\\breachable|\\bload ?balancer")) return Intent.of(Intent.Kind.SERVICE);
        if (has(q, "\\bmemory|\\bcpu\\b|\\bresources?\\b|\\busage|\\blimits?\\b|\\brequests\\b|\\boom")) {
            return Intent.of(Intent.Kind.RESOURCES);
        }
        if (has(q, "\\bpatterns?\\b|\\bsummar|\\bnois|\\bmost (common|frequent)")) return Intent.of(Intent.Kind.PATTERNS);
        if (has(q, "\\bevents?\\b")) return Intent.of(Intent.Kind.EVENTS);
        if (has(q, "\\bpods?\\b|\\breplicas?\\b")) return Intent.of(Intent.Kind.PODS);
        if (has(q, "\\bhealth|\\bok\\b|\\bokay\\b|\\bstatus\\b|\\brunning\\b|\\bready\\b|\\bprobes?\\b|\\bliveness|\\breadiness|\\bfine\\b|\\bup\\b")) {
            return Intent.of(Intent.Kind.HEALTH);
        }
        if (has(q, "\\bdescribe|\\bdetails?\\b|\\bspec\\b|\\bconfig")) return Intent.of(Intent.Kind.DESCRIBE);
        if (has(q, "\\blogs?\\b")) {
            return time ? new Intent(Intent.Kind.ERRORS, since, until, List.of(), "info", false) : Intent.of(Intent.Kind.PATTERNS);
        }
        return Intent.of(Intent.Kind.UNKNOWN);
    }

    private static String errorLevel(String q) {
        if (has(q, "\\berror|\\bexception|\\bfatal|\\bpanic|stack ?trace")) return "error";
        if (has(q, "\\bwarn")) return "warn";
        return null;
    }

    private static List<String> searchWords(String q) {
        Matcher m = SEARCH_WORDS.matcher(q.replaceAll("[?!.]+$", ""));
        String tail = m.find() ? m.group(1) : q.replaceAll(".*\\b(search|grep|look for|find)\\b", "");
        tail = tail.replaceAll("\\b(since|after|before|until|between|in the last|last|past)\\b.*$", "");
        List<String> out = new ArrayList<>();
        for (String w : tail.split("[\\s,]+")) {
            String x = w.replaceAll("^[^\\p{Alnum}]+|[^\\p{Alnum}]+$", "");
            if (x.length() > 1 && !STOP.contains(x)) out.add(x);
        }
        return out.size() > 3 ? out.subList(0, 3) : out;
    }

    private static boolean has(String q, String regex) {
        return Pattern.compile(regex).matcher(q).find();
    }
}

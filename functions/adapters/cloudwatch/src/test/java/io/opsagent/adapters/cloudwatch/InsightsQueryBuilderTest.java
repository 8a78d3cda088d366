package io.opsagent.adapters.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsagent.core.logs.LogLevel;
import io.opsagent.core.logs.search.LogQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InsightsQueryBuilderTest {

    /**
     * Splits a query into its {@code |}-separated commands, ignoring {@code |} inside "..", '..', `..` and /regex/
     * literals (backslash escapes honoured), as the Insights parser reads them. Fails on an unterminated literal.
     */
    static List<String> commands(String query) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char open = 0;
        for (int i = 0; i < query.length(); i++) {
            char c = query.charAt(i);
            if (open != 0) {
                cur.append(c);
                if (c == '\\' && i + 1 < query.length()) {
                    cur.append(query.charAt(++i));
                } else if (c == open) {
                    open = 0;
                }
            } else if (c == '"' || c == '\'' || c == '`' || c == '/') {
                open = c;
                cur.append(c);
            } else if (c == '|') {
                out.add(cur.toString().strip());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        assertThat(open).as("unterminated literal in %s", query).isEqualTo((char) 0);
        out.add(cur.toString().strip());
        return out;
    }

    static List<String> verbs(String query) {
        return commands(query).stream().map(c -> c.split("\\s+", 2)[0]).toList();
    }

    /** The body of the single /regex/ literal of a command, with \/ turned back into /. */
    static String regexBody(String command) {
        int start = command.indexOf('/');
        int end = command.lastIndexOf('/');
        assertThat(end).isGreaterThan(start);
        return command.substring(start + 1, end).replace("\\/", "/");
    }

    @Test
    void fullQueryHasTheExpectedShape() {
        LogQuery q = LogQuery.builder().namespace("shop").pod("api-7d9f8c6b5-x2k4p").container("api")
                .keywords("timeout", "payment").regex("gateway (503|504)").minLevel(LogLevel.ERROR).limit(50)
                .from(Instant.parse("2026-11-21T10:00:00Z")).build();
        String query = InsightsQueryBuilder.build(q);
        assertThat(commands(query)).containsExactly(
                "fields @timestamp, @message, @logStream, @log, kubernetes.namespace_name, kubernetes.pod_name,"
                        + " kubernetes.container_name, log",
                "filter kubernetes.namespace_name = \"shop\"",
                "filter kubernetes.pod_name = \"api-7d9f8c6b5-x2k4p\"",
                "filter kubernetes.container_name = \"api\"",
                "filter @message like /(?i)timeout/",
                "filter @message like /(?i)payment/",
                "filter @message like /gateway (503|504)/",
                "filter @message like /(?i)(fatal|critical|crit|panic|emerg|alert|severe|err)|\\b[EF]\\d{4}/",
                "sort @timestamp desc",
                "limit 50");
    }

    @Test
    void emptyQuerySelectsSortsAndLimits() {
        assertThat(verbs(InsightsQueryBuilder.build(LogQuery.builder().build(), 10_000)))
                .containsExactly("fields", "sort", "limit");
        assertThat(InsightsQueryBuilder.build(LogQuery.builder().limit(50_000).build())).endsWith("limit 10000");
        assertThatThrownBy(() -> InsightsQueryBuilder.build(LogQuery.builder().build(), 10_001))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10000");
    }

    @Test
    void podPrefixAndWorkloadBecomeAnchoredRegexes() {
        String q = InsightsQueryBuilder.build(LogQuery.builder().pod("api-7d9f*").workload("api.v2").build());
        assertThat(commands(q)).contains("filter kubernetes.pod_name like /^api-7d9f/",
                "filter kubernetes.pod_name like /^api\\.v2(-|$)/");
    }

    @Test
    void levelPushDownCoversWhatLevelDetectAccepts() {
        Pattern error = Pattern.compile(InsightsQueryBuilder.levelRegex(LogLevel.ERROR));
        for (String line : List.of("ERROR boom", "level=error msg=x", "E0412 10:00:00.000 1 f.go:1] x",
                "{\"level\":\"fatal\"}", "CRITICAL disk", "[err] x", "SEVERE: x")) {
            assertThat(LogLevel.detect(line).atLeast(LogLevel.ERROR)).as(line).isTrue();
            assertThat(error.matcher(line).find()).as(line).isTrue();
        }
        assertThat(InsightsQueryBuilder.levelRegex(LogLevel.INFO)).isNull();
        assertThat(verbs(InsightsQueryBuilder.build(LogQuery.builder().minLevel(LogLevel.DEBUG).build())))
                .containsExactly("fields", "sort", "limit");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "x | stats count(*) by @logStream",
            "/ | display @message",
            "timeout/ | stats count(*) /",
            "\" | fields @message",
            "'quoted' and \"double\"",
            "back\\slash\\",
            "\\/ | limit 1",
            "*/ | limit 1 /*",
            "(?-i)Exact",
            "a.*b+c?[x]{2}^$",
            "｜ stats count(*)",
            "café ∑ 東京",
            "# comment? | sort", "snake_case-id: 42%"})
    void keywordsCannotChangeTheStructureAndMatchLiterally(String keyword) {
        String query = InsightsQueryBuilder.build(LogQuery.builder().keywords(keyword).build(), 100);
        assertThat(verbs(query)).containsExactly("fields", "filter", "sort", "limit");
        String filter = commands(query).get(1);
        assertThat(filter).startsWith("filter @message like /(?i)");
        String body = regexBody(filter);
        String lower = keyword.strip().toLowerCase(java.util.Locale.ROOT);
        // the regex matches the keyword as a literal (and only where it occurs)
        assertThat(Pattern.compile(body).matcher("before " + lower + " after").find()).isTrue();
        assertThat(Pattern.compile(body).matcher("before after").find()).isFalse();
        assertThat(Pattern.matches(body, lower)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\nfilter x", "a\r\n| stats", "tab\there", "nul\u0000", "`@message`",
            "line\u2028sep", "rtl\u202Eoverride", "zero\u200Bwidth", "bom\uFEFF", "nbsp\u00A0x", "esc\u001B[31m",
            "private\uE000", "lone\uD800surrogate"})
    void unrepresentableKeywordCharactersAreRejectedClearly(String keyword) {
        assertThatThrownBy(() -> InsightsQueryBuilder.build(LogQuery.builder().keywords("ok " + keyword).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keyword")
                .hasMessageContaining("cannot be used in a Logs Insights query")
                .hasMessageNotContaining("\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"timeout|refused", "a/b", "[/|]x", "/ | stats count(x) /", "x\\/ | display", "(?i)error",
            "(?:a|b)+c", "\\d{3} ms", "\"quoted\" | limit 1", "[*+]x", "\\*+", "[]/]", "[^]/|]+"})
    void userRegexesStayInsideOneFilter(String regex) {
        String query = InsightsQueryBuilder.build(LogQuery.builder().regex(regex).build(), 100);
        assertThat(verbs(query)).containsExactly("fields", "filter", "sort", "limit");
        String body = regexBody(commands(query).get(1));
        assertThat(body).isEqualTo(regex.replace("\\/", "/"));
        Pattern.compile(body);
    }

    @ParameterizedTest
    @ValueSource(strings = {"(?=x)y", "(?!x)y", "(?<=x)y", "(?<!x)y", "(a)\\1", "(?<n>a)\\k<n>", "a*+", "a++",
            "(?>a)", "a(?i)b", "a{2}+", "\\d++", "[[a]b]", "\\Q/|\\E", "\\p{Lu}", "a\nb", "a`b"})
    void unsafeRegexesAreRejected(String regex) {
        assertThatThrownBy(() -> InsightsQueryBuilder.build(LogQuery.builder().regex(regex).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("regex");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Shop", "shop\" | stats count(*)", "shop/x", "-shop", "shop-", "a..b", "shop ns",
            "sh\u0430p" /* Cyrillic a */, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" /* 64 chars */})
    void namespacesMustBeKubernetesNames(String ns) {
        assertThatThrownBy(() -> InsightsQueryBuilder.build(LogQuery.builder().namespace(ns).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("namespace name").hasMessageContaining("DNS-1123");
    }

    @Test
    void podContainerAndWorkloadNamesAreValidated() {
        assertThatThrownBy(() -> InsightsQueryBuilder.build(LogQuery.builder().pod("api\" or 1=1").build()))
                .hasMessageContaining("pod name");
        assertThatThrownBy(() -> InsightsQueryBuilder.build(LogQuery.builder().pod("api/|*").build()))
                .hasMessageContaining("pod prefix name");
        assertThatThrownBy(() -> InsightsQueryBuilder.build(LogQuery.builder().container("app.v1").build()))
                .hasMessageContaining("container name");
        assertThatThrownBy(() -> InsightsQueryBuilder.build(LogQuery.builder().workload("API").build()))
                .hasMessageContaining("workload name");
    }

    @Test
    void patternQueryKeepsFiltersThenPattern() {
        String q = InsightsQueryBuilder.buildPattern(LogQuery.builder().namespace("shop").keywords("a | b").build());
        assertThat(verbs(q)).containsExactly("fields", "filter", "filter", "pattern");
        assertThat(q).endsWith("| pattern @message");
    }
}

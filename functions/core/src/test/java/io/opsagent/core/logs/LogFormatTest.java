package io.opsagent.core.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LogFormatTest {

    @Test
    void splitsHeaderFieldsAndMessage() {
        LogFormat f = LogFormat.compile("<Date> <Time> <Pid> <Level> <Component>: <Content>");
        LogFormat.Parsed p = f.parse("081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block");
        assertThat(p.matched()).isTrue();
        assertThat(p.message()).isEqualTo("PacketResponder 1 for block");
        assertThat(p.field("Component")).isEqualTo("dfs.DataNode$PacketResponder");
        assertThat(p.field("Pid")).isEqualTo("148");
        assertThat(p.timestamp()).isEqualTo("081109 203615");
        assertThat(p.level()).isEqualTo(LogLevel.INFO);
        assertThat(f.fields()).containsExactly("Date", "Time", "Pid", "Level", "Component", "Content");
    }

    @Test
    void escapedLiteralsAndRunsOfSpaces() {
        LogFormat f = LogFormat.compile("<Date> <Time> - <Level>  \\[<Node>:<Component>@<Id>\\] - <Content>");
        LogFormat.Parsed p = f.parse("2015-07-29 17:41:44,747 - WARN  [QuorumPeer[myid=1]/0:0:0:2181:Fast@774] - "
                + "Notification time out: 3200");
        assertThat(p.message()).isEqualTo("Notification time out: 3200");
        assertThat(p.field("Node")).isEqualTo("QuorumPeer[myid=1]/0");
        assertThat(p.field("Id")).isEqualTo("774");
        assertThat(p.level()).isEqualTo(LogLevel.WARN);
        assertThat(p.timestamp()).isEqualTo("2015-07-29 17:41:44,747");
    }

    @Test
    void regexSyntaxFallsBackToRegularExpressions() {
        LogFormat f = LogFormat.compile("<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>");
        LogFormat.Parsed withPid = f.parse("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown");
        assertThat(withPid.message()).isEqualTo("check pass; user unknown");
        assertThat(withPid.field("PID")).isEqualTo("19939");
        LogFormat.Parsed noPid = f.parse("Jun 14 15:16:02 combo kernel: Linux version 2.6.5");
        assertThat(noPid.message()).isEqualTo("Linux version 2.6.5");
        assertThat(noPid.field("PID")).isNull();
        assertThat(noPid.timestamp()).isEqualTo("Jun 14 15:16:02");
        // Level field holds a host name here: the level is detected from the line instead
        assertThat(f.parse("Jun 14 15:16:02 combo kernel: ERROR disk full").level()).isEqualTo(LogLevel.ERROR);
    }

    @Test
    void handWrittenMatcherAgreesWithTheRegularExpression() {
        String[] formats = {"<Date> <Time> <Level> <Component>: <Content>",
            "<Date> <Time> - <Level>  \\[<Node>:<Component>@<Id>\\] - <Content>",
            "\\[<Time>\\] \\[<Level>\\] <Content>", "<A><B> <Content>"};
        String[] lines = {"2024-01-01 10:00:00 INFO a.b: hello: world", "2024-01-01  10:00:00\tWARN x:y: z",
            "no header here", "", "  leading spaces INFO c: m", "2015-07-29 17:41:44,747 - INFO  [a:b@1] - msg",
            "2015-07-29 17:41:44,747 - INFO [a:b@c@1] - msg - more", "[Sun Dec 04 04:47:44 2005] [error] boom",
            "[x] [y]", "a b c d e f g h i j k l m n o p q r s t u v w x y z"};
        for (String format : formats) {
            LogFormat fast = LogFormat.compile(format, true);
            LogFormat regex = LogFormat.compile(format, false);
            for (String line : lines) {
                LogFormat.Parsed a = fast.parse(line);
                LogFormat.Parsed b = regex.parse(line);
                assertThat(a.matched()).as(format + " | " + line).isEqualTo(b.matched());
                for (String field : fast.fields()) {
                    assertThat(a.field(field)).as(format + " | " + line + " | " + field).isEqualTo(b.field(field));
                }
            }
        }
    }

    @Test
    void longLineThatDoesNotFitFallsBackQuicklyInsteadOfBacktrackingForever() {
        String line = "word ".repeat(400);
        for (String format : new String[] {"<Date> <Time> <Level> \\[<Process>\\] <Component>: <Content>",
            "<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>"}) {
            long t0 = System.nanoTime();
            LogFormat.Parsed p = LogFormat.compile(format).parse(line);
            assertThat(p.matched()).isFalse();
            assertThat(p.message()).isEqualTo(line);
            assertThat((System.nanoTime() - t0) / 1_000_000).as(format).isLessThan(2_000);
        }
    }

    @Test
    void lineThatDoesNotMatchIsAllMessage() {
        LogFormat f = LogFormat.compile("\\[<Time>\\] \\[<Level>\\] <Content>");
        LogFormat.Parsed p = f.parse("continuation line without header");
        assertThat(p.matched()).isFalse();
        assertThat(p.message()).isEqualTo("continuation line without header");
        assertThat(p.field("Level")).isNull();
        assertThat(p.timestamp()).isNull();
    }

    @Test
    void badFormatsAreRejectedWithTheFormatNamed() {
        assertThatThrownBy(() -> LogFormat.compile("<Date> <Level>"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("<Date> <Level>")
                .hasMessageContaining("<Content>");
        assertThatThrownBy(() -> LogFormat.compile("<Content> <Content>"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> LogFormat.compile("(<Date> <Content>"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid pattern");
        assertThatThrownBy(() -> LogFormat.compile(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    }
}

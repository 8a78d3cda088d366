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

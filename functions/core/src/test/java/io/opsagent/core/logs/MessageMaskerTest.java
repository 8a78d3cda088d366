package io.opsagent.core.logs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessageMaskerTest {

    private static String mask(String message) {
        return String.join(" ", MessageMasker.maskedTokens(message));
    }

    @Test
    void masksNumbersIpsPortsAndHex() {
        assertThat(mask("Accepted password for root from 173.234.31.186 port 38926 ssh2"))
                .isEqualTo("Accepted password for root from <*> port <*> <*>");
        assertThat(mask("dcr 0x02f0 detected at 10.0.0.1:8080"))
                .isEqualTo("dcr <*> detected at <*>");
    }

    @Test
    void keepsBracketsKeysAndPunctuationAroundValues() {
        assertThat(mask("[10.1.2.3] uid=0 (uid=509) took 12ms, done."))
                .isEqualTo("[<*>] uid=<*> (uid=<*>) took <*>, done.");
        assertThat(mask("program interrupt: illegal instruction......0"))
                .isEqualTo("program interrupt: illegal instruction......<*>");
        assertThat(mask("Deleting block blk_-1608999687919862906 file"))
                .isEqualTo(mask("Deleting block blk_1608999687919862906 file"))
                .isEqualTo("Deleting block <*> file");
        assertThat(mask("offset -42 ok")).isEqualTo("offset <*> ok");
    }

    @Test
    void namesJoinedToAValueAreOneVariable() {
        assertThat(mask("rhost=220-135-151-1.hinet-ip.hinet.net user=root"))
                .isEqualTo("rhost=<*> user=root");
        assertThat(mask("Block broadcast_9_piece0 stored")).isEqualTo("Block <*> stored");
    }

    @Test
    void pathsUrlsDatesAndSizeUnitsAreVariables() {
        assertThat(mask("Opening /var/log/app.log and hdfs://nn:9000/x"))
                .isEqualTo("Opening <*> and <*>");
        assertThat(mask("connection at Fri Jun 17 07:07:00 2005"))
                .isEqualTo("connection at <*> <*>"); // day and month names, then numbers
        assertThat(mask("estimated size 5.2 KB, free 93.0 B"))
                .isEqualTo("estimated size <*>, free <*>");
    }

    @Test
    void aRunOfValuesOfOneKindIsOneVariable() {
        assertThat(mask("ask 10.0.0.1:50010 to delete blk_1 blk_-2 blk_3"))
                .isEqualTo(mask("ask 10.0.0.9:50010 to delete blk_7"))
                .isEqualTo("ask <*> to delete <*>");
        assertThat(mask("POST /api/pay 201 49ms")).isEqualTo("POST <*> <*> <*>");
        assertThat(mask("softheader=0064588e 8aff0003 00000002 0000000f)")).isEqualTo("softheader=<*> <*> <*>)");
    }

    @Test
    void wordsWithoutDigitsStay() {
        assertThat(mask("  Transitioned from RUNNING\tto SUCCEEDED  ")).isEqualTo("Transitioned from RUNNING to SUCCEEDED");
        assertThat(MessageMasker.maskedTokens("   ")).isEmpty();
    }
}

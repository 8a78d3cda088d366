package io.opsagent.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDynamoSmokeTest {
    @Test
    void startsOnLoopback(@TempDir Path dir) {
        long t0 = System.nanoTime();
        try (LocalDynamo db = LocalDynamo.start(dir)) {
            System.out.println("startup " + db.startupTime().toMillis() + " ms; first call after "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms");
            assertThat(db.client().listTables().tableNames()).isEmpty();
            System.out.println("listTables done after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        }
        long t1 = System.nanoTime();
        try (LocalDynamo db = LocalDynamo.start(dir)) {
            assertThat(db.client().listTables().tableNames()).isEmpty();
            System.out.println("2nd start+call " + (System.nanoTime() - t1) / 1_000_000 + " ms");
        }
    }
}

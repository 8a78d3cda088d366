package io.opsagent.core.redact;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.core.diagnosis.Category;
import io.opsagent.core.diagnosis.Diagnosis;
import io.opsagent.core.diagnosis.Evidence;
import io.opsagent.core.diagnosis.EvidenceSource;
import io.opsagent.core.diagnosis.Finding;
import io.opsagent.core.diagnosis.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Findings leave core redacted: summary, evidence text and remediation; ids, refs and links are kept. */
class RedactorFindingTest {
    @Test
    void redactsEveryTextOfAFindingAndKeepsItsStructure() {
        Finding f = new Finding("f-AppError-shop-orders", Category.AppError, Severity.CRITICAL, "shop",
                "Deployment", "orders", "app",
                "orders cannot reach postgres://app:hunter2@db:5432/orders",
                List.of(new Evidence(EvidenceSource.LOG, "shop/orders-7d9/logs.txt:412",
                                "FATAL connect failed password=hunter2 host=db"),
                        new Evidence(EvidenceSource.EVENT, "events.json:items[3]", "Back-off restarting")),
                List.of("kubectl -n shop set env deploy/orders DB_PASSWORD=hunter2"), true, null);

        Diagnosis out = Redactor.standard().redact(new Diagnosis(List.of(f)));

        Finding r = out.findings().get(0);
        assertThat(r.toString()).doesNotContain("hunter2");
        assertThat(r.summary()).isEqualTo("orders cannot reach postgres://app:********@db:5432/orders");
        assertThat(r.evidence().get(0).text()).isEqualTo("FATAL connect failed password=******** host=db");
        assertThat(r.evidence().get(0).ref()).isEqualTo("shop/orders-7d9/logs.txt:412");
        assertThat(r.evidence().get(1)).isSameAs(f.evidence().get(1));
        assertThat(r.remediation()).containsExactly("kubectl -n shop set env deploy/orders DB_PASSWORD=********");
        assertThat(r.id()).isEqualTo(f.id());
        assertThat(r.rootCause()).isTrue();
    }
}

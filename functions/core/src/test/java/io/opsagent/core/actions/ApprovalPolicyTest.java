package io.opsagent.core.actions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApprovalPolicyTest {
    private static Proposal by(String requester) {
        Action a = Action.of(ActionKind.SCALE, "shop", "Deployment", "web", Canonical.parse("{\"replicas\":3}"));
        return new Proposal("act-1", a, a.hash(), null, new Proposal.DryRun(null, List.of()),
                new Proposal.BlastRadius(List.of(), 2, 3, List.of()), new Proposal.Risk("low", List.of(), false), null,
                requester, null, null, null, Instant.EPOCH, Instant.EPOCH.plusSeconds(900), ProposalStatus.PENDING,
                List.of(), null, null, 1);
    }

    @Test
    void anApproverGroupAndSeparationOfDuties() {
        ApprovalPolicy aws = new ApprovalPolicy("approvers", true, Set.of(), Duration.ofMinutes(15));
        assertThat(aws.refusal(by("bob"), "carol", List.of("sre"), true)).isEqualTo("carol is not in the approvers' group approvers");
        assertThat(aws.refusal(by("bob"), "carol", List.of("approvers"), true)).isNull();
        assertThat(aws.refusal(by("carol"), "carol", List.of("approvers"), true)).startsWith("separation of duties");
        assertThat(aws.refusal(by("carol"), "carol", List.of("approvers"), false)).isNull(); // rejecting is not approving
        assertThat(ApprovalPolicy.LOCAL.refusal(by("dev"), "dev", List.of(), true)).isNull();
    }
}

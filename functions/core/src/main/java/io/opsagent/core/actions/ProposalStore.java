package io.opsagent.core.actions;

import java.util.List;
import java.util.Optional;

/** Where proposals are kept (DynamoDB). Every change is a conditional write over the version it was made from. */
public interface ProposalStore {

    /** Stores a new proposal (version 1); fails if the id exists. Returns it as stored. */
    Proposal create(Proposal p);

    Optional<Proposal> get(String id);

    /**
     * Stores {@code next} (version {@code current.version() + 1}) only if the stored version is still
     * {@code current.version()}; empty when it changed meanwhile (another decision won).
     */
    Optional<Proposal> replace(Proposal current, Proposal next);

    /** The newest proposals first, with {@code status} when given, at most {@code limit}. */
    List<Proposal> list(ProposalStatus status, int limit);
}

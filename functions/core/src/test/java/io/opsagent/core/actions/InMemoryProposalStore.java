package io.opsagent.core.actions;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Proposals in memory for tests, with the store's contract: create once, replace only over the stored version. */
public final class InMemoryProposalStore implements ProposalStore {
    private final Map<String, Proposal> byId = new ConcurrentHashMap<>();

    @Override
    public synchronized Proposal create(Proposal p) {
        if (byId.containsKey(p.id())) throw new IllegalStateException("a proposal with id " + p.id() + " exists already");
        Proposal stored = p.withVersion(1);
        byId.put(p.id(), stored);
        return stored;
    }

    @Override
    public Optional<Proposal> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public synchronized Optional<Proposal> replace(Proposal current, Proposal next) {
        Proposal now = byId.get(current.id());
        if (now == null || now.version() != current.version()) return Optional.empty();
        Proposal stored = next.withVersion(current.version() + 1);
        byId.put(stored.id(), stored);
        return Optional.of(stored);
    }

    @Override
    public List<Proposal> list(ProposalStatus status, int limit) {
        return byId.values().stream().filter(p -> status == null || p.status() == status)
                .sorted(Comparator.comparing(Proposal::createdAt).reversed()).limit(limit).toList();
    }
}

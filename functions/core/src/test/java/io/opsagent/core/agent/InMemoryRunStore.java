package io.opsagent.core.agent;

import io.opsagent.core.runs.Page;
import io.opsagent.core.runs.Run;
import io.opsagent.core.runs.RunQuery;
import io.opsagent.core.runs.RunStats;
import io.opsagent.core.runs.RunStore;
import io.opsagent.core.runs.Step;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** A RunStore in memory, for tests. Records every update so tests can check progress was written. */
public final class InMemoryRunStore implements RunStore {
    final Map<String, Run> runs = new ConcurrentHashMap<>();
    final Map<String, List<Step>> steps = new ConcurrentHashMap<>();
    final Set<String> cancelled = ConcurrentHashMap.newKeySet();
    /** How many times a run asked whether it was cancelled ({@link #cancelRequested}). */
    final java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
    final List<Run> updates = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void create(Run run) {
        if (runs.putIfAbsent(run.id(), run) != null) throw new IllegalStateException("run exists: " + run.id());
    }

    @Override
    public synchronized RunWrite write(Run run) {
        Run old = runs.get(run.id());
        if (old == null || !old.user().equals(run.user())) throw new java.util.NoSuchElementException("no run " + run.id());
        if (old.status().terminal()) return RunWrite.NOT_RUNNING;
        runs.put(run.id(), run);
        updates.add(run);
        return cancelled.contains(run.id()) ? RunWrite.CANCEL_REQUESTED : RunWrite.WRITTEN;
    }

    @Override
    public synchronized boolean delete(String user, String runId) {
        Optional<Run> r = get(user, runId);
        if (r.isEmpty()) return false;
        if (!r.get().status().terminal()) throw new IllegalStateException("run " + runId + " is running");
        runs.remove(runId);
        steps.remove(runId);
        return true;
    }

    @Override
    public List<Run> running() {
        return runs.values().stream().filter(r -> !r.status().terminal()).sorted(Comparator.comparing(Run::started)).toList();
    }

    @Override
    public void addStep(Step step) {
        List<Step> l = steps.computeIfAbsent(step.runId(), k -> new java.util.concurrent.CopyOnWriteArrayList<>());
        if (step.number() != l.size() + 1) {
            throw new IllegalStateException("step " + step.number() + " out of order, have " + l.size());
        }
        l.add(step);
    }

    @Override
    public Optional<Run> get(String user, String runId) {
        return Optional.ofNullable(runs.get(runId)).filter(r -> r.user().equals(user));
    }

    @Override
    public List<Step> steps(String user, String runId) {
        return get(user, runId).map(r -> List.copyOf(steps.getOrDefault(runId, List.of()))).orElse(List.of());
    }

    @Override
    public Page<Run> list(RunQuery q) {
        List<Run> l = runs.values().stream().filter(r -> r.user().equals(q.user()))
                .filter(r -> q.status() == null || r.status() == q.status())
                .filter(r -> q.source() == null || q.source().equals(r.source()))
                .sorted(Comparator.comparing(Run::started).reversed()).limit(q.limit()).toList();
        return new Page<>(l, null);
    }

    @Override
    public RunStats stats(RunQuery q) {
        List<Run> l = new ArrayList<>(runs.values().stream().filter(r -> r.user().equals(q.user())).toList());
        return new RunStats(l.size(), l.stream().collect(Collectors.groupingBy(r -> r.status().json(), Collectors.counting())),
                l.stream().collect(Collectors.groupingBy(Run::source, Collectors.counting())), null, null,
                l.stream().mapToLong(Run::inputTokens).sum(), l.stream().mapToLong(Run::outputTokens).sum(),
                l.stream().mapToDouble(Run::cost).sum());
    }

    @Override
    public boolean requestCancel(String user, String runId) {
        Optional<Run> r = get(user, runId).filter(x -> !x.status().terminal());
        r.ifPresent(x -> cancelled.add(runId));
        return r.isPresent();
    }

    @Override
    public boolean cancelRequested(String runId) {
        reads.incrementAndGet();
        return cancelled.contains(runId);
    }
}

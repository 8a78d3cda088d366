package io.opsagent.local;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code opsagent patterns} (stub: filled in by the pattern-mining work). */
@Command(name = "patterns", description = "Mine log templates from a log file.")
final class PatternsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 0;
    }
}

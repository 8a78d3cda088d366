package io.opsagent.local;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code opsagent diagnose} (stub: filled in by the diagnosis work). */
@Command(name = "diagnose", description = "Find what is wrong in a cluster dump or pasted kubectl output.")
final class DiagnoseCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 0;
    }
}

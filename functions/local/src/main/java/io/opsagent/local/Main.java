package io.opsagent.local;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code opsagent} command line. */
@Command(name = "opsagent", mixinStandardHelpOptions = true, version = "opsagent 0.1.0",
        description = "An operations agent for Kubernetes workloads: diagnose failures with evidence.",
        subcommands = {UpCommand.class, DiagnoseCommand.class, AskCommand.class, EvidenceCommand.class, PatternsCommand.class,
                SeedCommand.class, ActionsCommand.class, ChangeCommand.class, AuditCommand.class, AlertCommand.class, ProjectsCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    /** Exit code for bad input (missing directory, malformed file, unknown format). */
    public static final int EXIT_BAD_INPUT = 2;

    /** The environment the commands read (tests run the command line with their own). */
    private static volatile Map<String, String> environment;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (used by tests). */
    public static int run(String... args) {
        return run(System.getenv(), args);
    }

    /** Runs the command line with {@code env} as the environment (used by tests). */
    public static synchronized int run(Map<String, String> env, String... args) {
        environment = Map.copyOf(env);
        try {
            return execute(args);
        } finally {
            environment = null;
        }
    }

    /** The environment the running command reads. */
    static Map<String, String> env() {
        Map<String, String> e = environment;
        return e != null ? e : System.getenv();
    }

    private static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof io.opsagent.core.input.InputException) {
                cmd.getErr().println("opsagent: " + ex.getMessage());
                return EXIT_BAD_INPUT;
            }
            if (ex instanceof IllegalArgumentException) {
                cmd.getErr().println("opsagent: " + ex.getMessage());
                return EXIT_BAD_INPUT;
            }
            throw ex;
        });
        // usage errors (unknown option, bad enum value) are bad input too
        cli.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("opsagent: " + ex.getMessage());
            ex.getCommandLine().usage(ex.getCommandLine().getErr());
            return EXIT_BAD_INPUT;
        });
        return cli.execute(args);
    }
}

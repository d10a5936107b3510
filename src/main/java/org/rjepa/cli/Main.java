package org.rjepa.cli;

import java.io.PrintWriter;
import org.rjepa.io.BadInputException;
import org.rjepa.learning.DivergenceException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code rjepa} command line. Exit status: 0 done, 1 a run that failed (a gradient check
 * beyond its tolerance, a diverged training), 2 bad input (a flag, a file, a checkpoint),
 * told in one sentence without a stack trace.
 */
@Command(name = "rjepa", mixinStandardHelpOptions = true, version = "rjepa 0.1.0",
        description = "Recurrent joint-embedding predictive learning with Recurrent-Forward "
                + "Propagation (RFP).",
        subcommands = {TrainCommand.class, EvaluateCommand.class, GradcheckCommand.class,
            BenchCommand.class, DevicesCommand.class, ReportCommand.class,
            ExperimentCommand.class})
public final class Main implements Runnable {
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        String level = System.getenv("RJEPA_LOG");
        if (level != null && !level.isBlank()) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level.strip());
        }
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err,
                true)));
    }

    /** Runs the command line with the given streams; returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        // pictures are drawn off screen, with or without a display
        System.setProperty("java.awt.headless", "true");
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setUsageHelpWidth(100);
        versionEverywhere(cli, cli.getCommandSpec().version());
        cli.setParameterExceptionHandler((e, arguments) -> {
            CommandLine.Model.CommandSpec where = e.getCommandLine().getCommandSpec();
            String path = where.qualifiedName();
            if (e instanceof CommandLine.UnmatchedArgumentException unmatched
                    && !where.subcommands().isEmpty() && !unmatched.getUnmatched().isEmpty()
                    && !unmatched.getUnmatched().get(0).startsWith("-")) {
                err.println("rjepa: unknown command '" + unmatched.getUnmatched().get(0)
                        + "'; the commands of '" + path + "' are "
                        + String.join(", ", where.subcommands().keySet()) + ".");
                return EXIT_BAD_INPUT;
            }
            err.println("rjepa: " + sentence(e.getMessage()) + " See '" + path + " --help'.");
            return EXIT_BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof BadInputException) {
                err.println("rjepa: " + sentence(e.getMessage()));
                return EXIT_BAD_INPUT;
            }
            if (e instanceof DivergenceException) {
                err.println("rjepa: " + sentence(e.getMessage()));
                return EXIT_FAILED;
            }
            err.println("rjepa: internal error: " + e);
            if (System.getenv("RJEPA_DEBUG") != null) {
                e.printStackTrace(err);
            } else {
                err.println("rjepa: set RJEPA_DEBUG=1 to see where it happened.");
            }
            return EXIT_FAILED;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // what held the memory is gone with the command's frames: a sentence fits
            err.println("rjepa: ran out of memory; lower --batch, --hidden or --fixations, or "
                    + "give Java more (RJEPA_JAVA_OPTS=-Xmx16g ./rjepa ...).");
            return EXIT_FAILED;
        }
    }

    /** Gives every subcommand the engine's version, so that {@code -V} answers anywhere. */
    private static void versionEverywhere(CommandLine command, String[] version) {
        for (CommandLine sub : command.getSubcommands().values()) {
            sub.getCommandSpec().version(version);
            versionEverywhere(sub, version);
        }
    }

    /** A message as one sentence: first letter kept, a full stop at the end. */
    static String sentence(String message) {
        String m = message == null ? "unknown error" : message.strip();
        return m.endsWith(".") || m.endsWith("?") || m.endsWith("!") ? m : m + ".";
    }
}

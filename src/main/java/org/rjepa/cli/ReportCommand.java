package org.rjepa.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.rjepa.data.DataSplit;
import org.rjepa.data.ImageSet;
import org.rjepa.io.BadInputException;
import org.rjepa.learning.TrainConfig;
import org.rjepa.learning.TrainingCheckpoint;
import org.rjepa.report.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rjepa report RUN_DIR}: the run's pictures and one self-contained HTML page. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Draw a run folder's pictures (loss.png, collapse.png, "
                + "receptive-fields.png, scanpaths.png) and write report.html beside them, "
                + "with the pictures inlined; probe.json and gradcheck.json are shown when "
                + "present.")
final class ReportCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", description = "A run folder written by rjepa train.")
    Path runDir;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Images as rjepa train --data takes them; default: the data the run "
                    + "trained on.")
    Path data;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.isDirectory(runDir)) {
            throw new BadInputException(runDir + " is not a folder.");
        }
        if (!Files.isRegularFile(runDir.resolve("checkpoint.bin"))) {
            throw new BadInputException(runDir + " holds no checkpoint.bin; is it a run folder "
                    + "of rjepa train?");
        }
        TrainConfig config = TrainingCheckpoint.read(runDir.resolve("checkpoint.bin"))
                .config();
        ImageSet images = TrainCommand.readRunData(config, data, spec.commandLine().getErr());
        DataSplit split = TrainCommand.runSplit(config, images, spec.commandLine().getErr());
        List<Path> files = write(runDir, split);
        out.println("wrote " + files.get(files.size() - 1) + " and " + (files.size() - 1)
                + " pictures beside it");
        return 0;
    }

    /** The report of a run folder whose data split is at hand. */
    static List<Path> write(Path runDir, DataSplit split) {
        return RunReport.write(runDir, split.heldOut());
    }
}

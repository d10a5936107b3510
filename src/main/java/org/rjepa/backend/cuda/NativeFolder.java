package org.rjepa.backend.cuda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where JCuda writes its native libraries before loading them. JCuda extracts them into
 * {@code java.io.tmpdir} and reuses a same-named file that is there already, so parallel runs
 * or a stale copy in a shared temporary folder could clash. The engine points it instead at
 * {@code -Drjepa.nativeDir}, or {@code $RJEPA_NATIVE_DIR}, or else a {@code natives} folder
 * beside the jar (or beside {@code target/classes} when run from the build), for the time of
 * the first load only.
 */
final class NativeFolder {
    private static final Logger LOG = LoggerFactory.getLogger(NativeFolder.class);

    private NativeFolder() {
    }

    /** Runs {@code load} with {@code java.io.tmpdir} pointing at the engine's own folder. */
    static synchronized void during(Runnable load) {
        Path folder = folder();
        String previous = System.getProperty("java.io.tmpdir");
        if (folder != null) {
            System.setProperty("java.io.tmpdir", folder.toString());
        }
        try {
            load.run();
        } finally {
            if (previous != null) {
                System.setProperty("java.io.tmpdir", previous);
            }
        }
    }

    /** The folder, created; null (JCuda's default) when none can be made. */
    static Path folder() {
        String asked = System.getProperty("rjepa.nativeDir", System.getenv("RJEPA_NATIVE_DIR"));
        Path folder = asked != null && !asked.isBlank() ? Paths.get(asked) : besideCode();
        if (folder == null) {
            return null;
        }
        try {
            Files.createDirectories(folder);
            if (Files.isWritable(folder)) {
                LOG.debug("JCuda native libraries go to {}", folder);
                return folder;
            }
        } catch (IOException | SecurityException e) {
            LOG.debug("cannot use {} for native libraries: {}", folder, e.toString());
        }
        LOG.info("native libraries go to java.io.tmpdir: {} is not writable", folder);
        return null;
    }

    private static Path besideCode() {
        try {
            Path code = Paths.get(NativeFolder.class.getProtectionDomain().getCodeSource()
                    .getLocation().toURI());
            Path parent = code.getParent();
            return parent == null ? null : parent.resolve("natives");
        } catch (Exception e) {
            return null;
        }
    }
}

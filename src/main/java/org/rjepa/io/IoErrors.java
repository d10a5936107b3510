package org.rjepa.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** What went wrong with a file, in words a refusal can end with. */
public final class IoErrors {
    private IoErrors() {
    }

    /**
     * The cause of {@code e} without the paths the JDK puts in its messages (the sentence that
     * uses it names the file already): "permission denied", "no such file or folder", the
     * file system's own reason ("Read-only file system"), or the message.
     */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "it exists already";
        }
        if (e instanceof NotDirectoryException) {
            return "a part of the path is a file, not a folder";
        }
        if (e instanceof JsonProcessingException json) {
            String where = json.getLocation() == null ? "" : " at line "
                    + json.getLocation().getLineNr() + ", column "
                    + json.getLocation().getColumnNr();
            String what = json.getOriginalMessage() == null ? "malformed"
                    : json.getOriginalMessage().lines().findFirst().orElse("malformed");
            return what + where;
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}

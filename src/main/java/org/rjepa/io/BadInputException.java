package org.rjepa.io;

/**
 * A problem with what the user gave the engine (a file, a flag, a checkpoint), told in one
 * sentence that names the thing and what is wrong with it. The command line prints the
 * message alone, without a stack trace, and exits with a non-zero status.
 */
public class BadInputException extends RuntimeException {
    public BadInputException(String sentence) {
        super(sentence);
    }

    public BadInputException(String sentence, Throwable cause) {
        super(sentence, cause);
    }
}

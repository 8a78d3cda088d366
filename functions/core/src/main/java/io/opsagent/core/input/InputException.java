package io.opsagent.core.input;

/**
 * Bad input: names the file (or directory) and what is wrong with it, in words a user can act on.
 * The command line turns it into exit code 2.
 */
public class InputException extends Exception {
    private final String file;

    public InputException(String file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public InputException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    public String file() {
        return file;
    }
}

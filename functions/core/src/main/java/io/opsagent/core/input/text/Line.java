package io.opsagent.core.input.text;

/** One line of an evidence file: its 1-based number in the file and its text (no line terminator). */
record Line(int number, String text) {
    boolean isBlank() {
        return text.isBlank();
    }

    int indent() {
        int i = 0;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) i++;
        return i;
    }
}

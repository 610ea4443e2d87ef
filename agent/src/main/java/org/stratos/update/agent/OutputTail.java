package org.stratos.update.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Keeps what the manager needs of a command's output, in bounded memory: a Puppet run can print megabytes. The last
 * lines (at most {@code maxLines}, {@code maxBytes}), and Puppet's {@code Error:} lines wherever they were: a run that
 * fails early and then changes many resources pushes its errors out of any tail. The first {@value #MAX_ERRORS}
 * error lines that fell out of the tail (at most {@value #MAX_ERROR_BYTES} bytes) come first, then a line saying how
 * many lines were left out, then the tail. Terminal colour codes are removed (Puppet colours its output even into a
 * pipe), and so is Facter's noise about {@code /proc/1/environ}, which it cannot read in many containers and reports
 * as an {@code Error:} on every run.
 */
final class OutputTail {

    static final int DEFAULT_MAX_BYTES = 4096;
    static final int DEFAULT_MAX_LINES = 40;
    static final int MAX_ERRORS = 20;
    static final int MAX_ERROR_BYTES = 2048;
    /** A line longer than this is cut: one line must not take the whole tail. */
    static final int MAX_LINE_BYTES = 1024;

    private static final Pattern ANSI_ESCAPE = Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]");
    private static final Pattern ERROR = Pattern.compile("^(Error|Err):");
    private static final Pattern NOISE = Pattern.compile("^Error: Facter: .*/proc/1/environ.*");

    private record Line(long number, String text) {}

    private final int maxBytes;
    private final int maxLines;
    private final Deque<Line> tail = new ArrayDeque<>();
    private final List<Line> errors = new ArrayList<>();
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private int tailBytes;
    private int errorBytes;
    private long lines;
    private boolean currentCut;

    OutputTail() {
        this(DEFAULT_MAX_BYTES, DEFAULT_MAX_LINES);
    }

    OutputTail(int maxBytes, int maxLines) {
        this.maxBytes = maxBytes;
        this.maxLines = maxLines;
    }

    synchronized void write(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] == '\n') {
                endLine();
            } else if (current.size() < MAX_LINE_BYTES) {
                current.write(bytes[i]);
            } else {
                currentCut = true;
            }
        }
    }

    /** Copies {@code in} into the tail until it ends; the stream is closed afterwards. */
    void drain(InputStream in) throws IOException {
        try (in) {
            byte[] buffer = new byte[1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                write(buffer, 0, n);
            }
        }
    }

    @Override
    public synchronized String toString() {
        List<String> out = new ArrayList<>();
        long firstInTail = tail.isEmpty() ? lines : tail.peekFirst().number();
        long kept = 0;
        for (Line error : errors) {
            if (error.number() < firstInTail) {
                out.add(error.text());
                kept++;
            }
        }
        if (kept > 0 && firstInTail > kept) {
            out.add("[… " + (firstInTail - kept) + " more lines left out …]");
        }
        tail.forEach(line -> out.add(line.text()));
        String partial = partialLine();
        if (!partial.isEmpty()) {
            out.add(partial);
        }
        return String.join("\n", out);
    }

    private void endLine() {
        String text = clean(current.toByteArray(), currentCut);
        current.reset();
        currentCut = false;
        if (NOISE.matcher(text).matches()) {
            return;
        }
        Line line = new Line(lines++, text);
        int size = text.getBytes(StandardCharsets.UTF_8).length + 1;
        if (ERROR.matcher(text).find() && errors.size() < MAX_ERRORS && errorBytes + size <= MAX_ERROR_BYTES) {
            errors.add(line);
            errorBytes += size;
        }
        tail.addLast(line);
        tailBytes += size;
        while (tail.size() > maxLines || (tailBytes > maxBytes && tail.size() > 1)) {
            tailBytes -= tail.removeFirst().text().getBytes(StandardCharsets.UTF_8).length + 1;
        }
    }

    /** The unfinished last line (output that did not end with a newline), unless it is noise. */
    private String partialLine() {
        if (current.size() == 0) {
            return "";
        }
        String text = clean(current.toByteArray(), currentCut);
        return NOISE.matcher(text).matches() ? "" : text;
    }

    private static String clean(byte[] bytes, boolean cut) {
        int end = bytes.length;
        if (cut) {
            while (end > 0 && (bytes[end - 1] & 0xC0) == 0x80) {
                end--; // the cut fell inside a UTF-8 character: drop its continuation bytes
            }
            if (end > 0 && (bytes[end - 1] & 0x80) != 0) {
                end--; // and its first byte
            }
        }
        if (end > 0 && bytes[end - 1] == '\r') {
            end--;
        }
        String text = ANSI_ESCAPE
                .matcher(new String(bytes, 0, end, StandardCharsets.UTF_8))
                .replaceAll("");
        return cut ? text + " …" : text;
    }
}

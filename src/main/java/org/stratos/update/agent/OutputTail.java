package org.stratos.update.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Keeps only the end of a command's output: a Puppet run can print megabytes, the manager needs the last lines that
 * say what went wrong. A ring buffer of the last {@code maxBytes} bytes; when read, cut to the last {@code maxLines}
 * lines, with terminal colour codes removed (Puppet colours its output even into a pipe).
 */
final class OutputTail {

    static final int DEFAULT_MAX_BYTES = 4096;
    static final int DEFAULT_MAX_LINES = 40;

    private static final Pattern ANSI_ESCAPE = Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]");

    private final byte[] ring;
    private final int maxLines;
    private long written;

    OutputTail() {
        this(DEFAULT_MAX_BYTES, DEFAULT_MAX_LINES);
    }

    OutputTail(int maxBytes, int maxLines) {
        this.ring = new byte[maxBytes];
        this.maxLines = maxLines;
    }

    synchronized void write(byte[] bytes, int offset, int length) {
        int skip = Math.max(0, length - ring.length); // only the last ring.length bytes of a big chunk can survive
        written += skip;
        for (int i = offset + skip; i < offset + length; i++) {
            ring[(int) (written++ % ring.length)] = bytes[i];
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
        int size = (int) Math.min(written, ring.length);
        byte[] bytes = new byte[size];
        int start = (int) ((written - size) % ring.length);
        for (int i = 0; i < size; i++) {
            bytes[i] = ring[(start + i) % ring.length];
        }
        int from = 0;
        if (written > ring.length) {
            while (from < size && (bytes[from] & 0xC0) == 0x80) {
                from++; // the cut fell inside a UTF-8 character: drop its continuation bytes
            }
        }
        String text = ANSI_ESCAPE.matcher(new String(bytes, from, size - from, StandardCharsets.UTF_8)).replaceAll("");
        return lastLines(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
    }

    private String lastLines(String text) {
        int cut = text.length();
        for (int lines = 0; lines < maxLines; lines++) {
            cut = text.lastIndexOf('\n', cut - 1);
            if (cut < 0) {
                return text;
            }
        }
        return text.substring(cut + 1);
    }
}

package org.stratos.update.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OutputTailTest {

    @Test
    void shortOutputIsKeptWhole() {
        OutputTail tail = tailOf("Notice: Applied catalog\nDone\n");

        assertThat(tail.toString()).isEqualTo("Notice: Applied catalog\nDone");
    }

    @Test
    void keepsOnlyTheLastLines() {
        OutputTail tail = tailOf(lines(1, 100));

        assertThat(tail.toString()).isEqualTo(lines(61, 100).strip());
    }

    @Test
    void keepsOnlyTheLastLinesThatFitTheByteBound() {
        OutputTail tail = new OutputTail(24, 40);
        write(tail, "first line\nsecond line\nthird line\n");

        assertThat(tail.toString()).isEqualTo("second line\nthird line");
    }

    @Test
    void aVeryLongLineIsCutNotLost() {
        OutputTail tail = new OutputTail();
        write(tail, "x".repeat(5000) + "\nlast\n");

        assertThat(tail.toString()).isEqualTo("x".repeat(OutputTail.MAX_LINE_BYTES) + " …\nlast");
    }

    @Test
    void aCutLineDoesNotEndInTheMiddleOfAUtf8Character() {
        OutputTail tail = new OutputTail();
        write(tail, "a".repeat(OutputTail.MAX_LINE_BYTES - 1) + "é and more\n"); // é straddles the cut

        assertThat(tail.toString()).isEqualTo("a".repeat(OutputTail.MAX_LINE_BYTES - 1) + " …");
    }

    @Test
    void errorLinesFromEarlyInTheRunAreKeptBeforeTheTail() {
        OutputTail tail = tailOf("Notice: Compiled catalog\n"
                + "\u001B[1;31mError: Could not set 'file' on ensure: Is a directory\u001B[0m\n"
                + lines(1, 100)
                + "Notice: Applied catalog in 2.1 seconds\n");

        assertThat(tail.toString())
                .isEqualTo("Error: Could not set 'file' on ensure: Is a directory\n" + "[… 62 more lines left out …]\n"
                        + lines(62, 100) + "Notice: Applied catalog in 2.1 seconds");
    }

    @Test
    void anErrorLineStillInTheTailIsNotRepeated() {
        OutputTail tail = tailOf("Notice: one\nError: broken\nNotice: two\n");

        assertThat(tail.toString()).isEqualTo("Notice: one\nError: broken\nNotice: two");
    }

    @Test
    void keptErrorLinesAreBounded() {
        OutputTail tail = tailOf("Error: x\n".repeat(500) + lines(1, 100));

        String kept = tail.toString();
        assertThat(kept.lines().filter(l -> l.startsWith("Error:"))).hasSize(OutputTail.MAX_ERRORS);
        assertThat(kept).endsWith(lines(61, 100).strip());
    }

    @Test
    void facterNoiseAboutProcOneEnvironIsLeftOut() {
        OutputTail tail =
                tailOf("\u001B[1;31mError: Facter: Permission denied @ rb_sysopen - /proc/1/environ\u001B[0m\n"
                        + "Notice: Applied catalog\n"
                        + "Error: Facter: Permission denied @ rb_sysopen - /proc/1/environ");

        assertThat(tail.toString()).isEqualTo("Notice: Applied catalog");
    }

    @Test
    void anUnfinishedLastLineIsKept() {
        OutputTail tail = tailOf("Notice: one\nno newline");

        assertThat(tail.toString()).isEqualTo("Notice: one\nno newline");
    }

    @Test
    void removesTerminalColourCodes() {
        OutputTail tail = tailOf("\u001B[1;31mError: Could not apply\u001B[0m\n");

        assertThat(tail.toString()).isEqualTo("Error: Could not apply");
    }

    @Test
    void drainsAStreamToItsEnd() throws Exception {
        OutputTail tail = new OutputTail();
        tail.drain(new ByteArrayInputStream(lines(1, 5000).getBytes(StandardCharsets.UTF_8)));

        assertThat(tail.toString()).endsWith("line 5000").startsWith("line 4961");
    }

    private static OutputTail tailOf(String text) {
        OutputTail tail = new OutputTail();
        write(tail, text);
        return tail;
    }

    private static void write(OutputTail tail, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        tail.write(bytes, 0, bytes.length);
    }

    private static String lines(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining());
    }
}

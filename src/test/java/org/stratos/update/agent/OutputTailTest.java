package org.stratos.update.agent;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

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
    void keepsOnlyTheLastBytesOfLongLines() {
        OutputTail tail = new OutputTail(16, 40);
        write(tail, "0123456789abcdefghijklmnopqrstuvwxyz");

        assertThat(tail.toString()).isEqualTo("klmnopqrstuvwxyz");
    }

    @Test
    void aChunkBiggerThanTheBufferKeepsItsEnd() {
        OutputTail tail = new OutputTail(8, 40);
        write(tail, "abc");
        write(tail, "0123456789ABCDEF");
        write(tail, "xy");

        assertThat(tail.toString()).isEqualTo("ABCDEFxy");
    }

    @Test
    void doesNotStartInTheMiddleOfAUtf8Character() {
        OutputTail tail = new OutputTail(5, 40);
        write(tail, "aé€b"); // 1 + 2 + 3 + 1 bytes: the cut falls inside é

        assertThat(tail.toString()).isEqualTo("€b");
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

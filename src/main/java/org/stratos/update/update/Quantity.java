package org.stratos.update.update;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A count ({@code 3}) or a percentage ({@code 25%}) of a cluster, as {@code batchSize} and {@code maxFailures}
 * are given.
 */
record Quantity(int value, boolean percent) {

    private static final Pattern FORM = Pattern.compile("\\s*(\\d{1,6})\\s*(%?)\\s*");

    /** Parses the text; null when it is not a count or a percentage. */
    static Quantity parse(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            return null;
        }
        return new Quantity(Integer.parseInt(m.group(1)), !m.group(2).isEmpty());
    }

    /** The batch size for a cluster of {@code size} members: a percentage rounds up, and a batch has at least 1. */
    int batchOf(int size) {
        int n = percent ? (int) Math.ceil(size * value / 100.0) : value;
        return Math.max(1, Math.min(n, Math.max(size, 1)));
    }

    /** The failures tolerated in a cluster of {@code size} members: a percentage rounds down. */
    int budgetOf(int size) {
        return percent ? (int) Math.floor(size * value / 100.0) : value;
    }

    @Override
    public String toString() {
        return value + (percent ? "%" : "");
    }
}

package org.stratos.update.messaging.broker;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one selector an agent may subscribe to the command topic with: {@code memberId = '<id>'} (quotes in the id
 * doubled, as SQL-92 literals have them). Anything else (no selector, OR, LIKE, another property) selects commands of
 * members the agent may not speak for.
 */
final class CommandSelector {

    /** The message property that names a command's member (the contract's {@code memberId}). */
    static final String MEMBER_ID = "memberId";

    private static final Pattern MEMBER = Pattern.compile("\\s*memberId\\s*=\\s*'((?:[^']|'')*)'\\s*");

    private CommandSelector() {}

    /** The member a selector names, or null when it is not of the one accepted form. */
    static String memberOf(String selector) {
        if (selector == null) {
            return null;
        }
        Matcher m = MEMBER.matcher(selector);
        return m.matches() ? m.group(1).replace("''", "'") : null;
    }
}

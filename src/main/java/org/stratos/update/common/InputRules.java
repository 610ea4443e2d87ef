package org.stratos.update.common;

import java.util.regex.Pattern;

/**
 * The rules every door applies to the same kinds of value: the API (applications, update requests, member
 * registration) and the broker (what agents report). A value broken here is refused wherever it arrives, with the
 * same wording. Strict on purpose: no spaces, quotes, shell or path characters reach an agent, a pod spec, a log line
 * or a JMS selector.
 */
public final class InputRules {

    /** Application ids, aliases, cartridge types. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    public static final String ID_RULE = "must be 1-64 letters, digits, '-' or '_', starting with a letter or digit";

    /** Cluster ids ({@code <applicationId>.<alias>.<cartridgeType>.domain}), member ids (a cluster id and a UUID). */
    public static final Pattern MEMBER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");

    public static final String MEMBER_ID_RULE =
            "must be 1-255 letters, digits, '.', '-' or '_', starting with a letter" + " or digit";

    /** Update ids and Stratos placement ids (cluster instance, network partition, partition). */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    public static final String NAME_RULE =
            "must be 1-128 letters, digits, '.', '-' or '_', starting with a letter" + " or digit";

    public static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+~-]{0,127}");
    public static final String VERSION_RULE =
            "is not a version: 1-128 letters, digits and . _ + ~ -, starting with a letter or digit";

    public static final Pattern IMAGE = Pattern.compile(
            "[a-z0-9][a-z0-9._-]*(:[0-9]{1,5})?(/[a-z0-9][a-z0-9._-]*)*(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?(@sha256:[a-f0-9]{64})?");
    public static final String IMAGE_RULE = "is not a Docker image reference such as stratos/php:4.1.5";

    /**
     * A member's address: a host name, an IPv4 or IPv6 address (bracketed or not), optionally with a port, a scheme
     * ({@code sim://}) and a plain path.
     */
    public static final Pattern ADDRESS = Pattern.compile(
            "(?=.{1,255}$)([a-z][a-z0-9+.-]{0,15}://)?[A-Za-z0-9:\\[][A-Za-z0-9.:%\\[\\]_-]*(/[A-Za-z0-9._~-]*)*");

    public static final String ADDRESS_RULE =
            "is not an address: a host name or IP address, optionally with a port," + " at most 255 characters";

    private InputRules() {}
}

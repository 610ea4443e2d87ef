package org.stratos.update.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code stratos.security.login-throttle.*}: how failed logins slow down the client address they come from (see
 * {@link LoginThrottle}).
 *
 * @param freeFailures failed logins in a row an address may make before it must wait
 * @param firstDelay   the wait after the first failure past the free ones; it doubles with each further failure
 * @param maxDelay     the longest wait
 * @param forgetAfter  an address's failures are forgotten after this long without one
 * @param maxTracked   addresses tracked at most (failures from further addresses are not slowed until some are
 *                     forgotten); bounds the memory an attack from many addresses can take
 * <p>
 * The defaults are set in one place, the jar's {@code application.yaml}, with their {@code STRATOS_*} variables.
 */
@ConfigurationProperties("stratos.security.login-throttle")
public record LoginThrottleProperties(
        int freeFailures, Duration firstDelay, Duration maxDelay, Duration forgetAfter, int maxTracked) {}

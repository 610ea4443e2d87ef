package org.stratos.update.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

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
 */
@ConfigurationProperties("stratos.security.login-throttle")
public record LoginThrottleProperties(@DefaultValue("5") int freeFailures,
                                      @DefaultValue("PT1S") Duration firstDelay,
                                      @DefaultValue("PT5M") Duration maxDelay,
                                      @DefaultValue("PT1H") Duration forgetAfter,
                                      @DefaultValue("100000") int maxTracked) {
}

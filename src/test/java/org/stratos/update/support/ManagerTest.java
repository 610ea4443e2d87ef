package org.stratos.update.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;

/**
 * The one Spring test set-up (H2 in memory, embedded broker on a free port, random HTTP port, no demo). Every Spring
 * test uses it unchanged, so the context starts once per test run. Tests must not depend on data other tests left:
 * use fresh application ids ({@link TestIds}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@TestPropertySource(locations = "classpath:stratos-test.properties")
public @interface ManagerTest {}

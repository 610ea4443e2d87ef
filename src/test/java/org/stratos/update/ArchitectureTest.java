package org.stratos.update;

import static com.tngtech.archunit.base.DescribedPredicate.or;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Executable;
import java.lang.reflect.Parameter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.jms.annotation.JmsListener;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * The rules that keep the manager's architecture as docs/architecture.md draws it, checked on the compiled classes (so
 * a fully qualified name used inline counts as much as an import). The agent and the event contracts are a module of
 * their own (agent/), which the compiler already keeps apart from the manager; their rules are in its
 * {@code AgentArchitectureTest}.
 */
class ArchitectureTest {

    private static final String ROOT = "org.stratos.update.";
    private static final String CONTRACTS = ROOT + "messaging.event";

    /**
     * One slice per top-level package ({@code org.stratos.update.(*)..}), except that the message contracts
     * ({@code messaging.event..}) are a slice of their own: they are the agent module's, shipped in its jar, depend on
     * nothing of the project, and every side of the broker uses them.
     */
    static final SliceAssignment CAPABILITIES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String pkg = javaClass.getPackageName();
            if (pkg.equals(CONTRACTS) || pkg.startsWith(CONTRACTS + ".")) {
                return SliceIdentifier.of("messaging.event");
            }
            if (!pkg.startsWith(ROOT)) {
                return SliceIdentifier.ignore();
            }
            String rest = pkg.substring(ROOT.length());
            return SliceIdentifier.of(rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest);
        }

        @Override
        public String getDescription() {
            return "the top-level packages of org.stratos.update, the message contracts (messaging.event) apart";
        }
    };

    private static JavaClasses manager;

    /** The manager's own classes: not its tests, not the agent module's classes on its classpath. */
    static final ImportOption NOT_THE_AGENT_MODULE =
            location -> !location.contains("/agent/target/") && !location.contains("stratos-update-agent");

    @BeforeAll
    static void importClasses() {
        manager = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(NOT_THE_AGENT_MODULE)
                .importPackages("org.stratos.update");
    }

    /** The import above holds the manager and nothing of the agent module. */
    @Test
    void importsTheManagerWithoutTheAgentModule() {
        assertThat(manager.containPackage("org.stratos.update.update")).isTrue();
        assertThat(manager.stream()
                        .map(JavaClass::getName)
                        .filter(name ->
                                name.startsWith("org.stratos.update.agent.") || name.startsWith(CONTRACTS + ".")))
                .isEmpty();
    }

    /** The capabilities (topology, update, messaging, api, security, ...) depend on each other one way only. */
    @Test
    void capabilitiesHaveNoCycles() {
        ArchRule rule = slices().assignedFrom(CAPABILITIES).should().beFreeOfCycles();
        rule.check(manager);
    }

    /**
     * The flows' delegates and listeners are thin: they read the process variables, call a service and set the
     * answer; they never reach the database or the broker themselves.
     */
    static final ArchRule DELEGATES_ONLY_CALL_SERVICES = noClasses()
            .that(or(
                    assignableTo(JavaDelegate.class),
                    assignableTo(ExecutionListener.class),
                    assignableTo(TaskListener.class)))
            .should()
            .dependOnClassesThat(or(
                    simpleNameEndingWith("Repository"),
                    resideInAnyPackage(
                            "java.sql..",
                            "javax.sql..",
                            "org.springframework.jdbc..",
                            "jakarta.jms..",
                            "org.springframework.jms..",
                            "org.apache.activemq..")))
            .because("a delegate calls a service, which owns the transaction and the data");

    @Test
    void delegatesOnlyCallServices() {
        DELEGATES_ONLY_CALL_SERVICES.check(manager);
    }

    /** The rule above is no formality: a delegate that reads a repository or sends on JMS breaks it. */
    @Test
    void delegateRuleCatchesADelegateThatReachesPastItsService() {
        JavaClasses fixture = new ClassFileImporter().importClasses(PeekingDelegate.class, SomeRepository.class);

        assertThatThrownBy(() -> DELEGATES_ONLY_CALL_SERVICES.check(fixture))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("SomeRepository")
                .hasMessageContaining("jakarta.jms.JMSContext");
    }

    static class SomeRepository {
        int count() {
            return 0;
        }
    }

    static class PeekingDelegate implements JavaDelegate {
        private final SomeRepository repository = new SomeRepository();
        private jakarta.jms.JMSContext jms;

        @Override
        public void execute(org.camunda.bpm.engine.delegate.DelegateExecution execution) {
            execution.setVariable("count", repository.count());
            jms.createProducer();
        }
    }

    /** Delegates live beside the flows' services, in the update capability's {@code delegate} package. */
    @Test
    void delegatesLiveInTheDelegatePackage() {
        ArchRule rule = classes()
                .that()
                .implement(JavaDelegate.class)
                .should()
                .resideInAPackage("org.stratos.update.update.delegate..");
        rule.check(manager);
    }

    // ---- settings: the defaults are set in application.yaml only

    /** A {@code ${stratos.…:fallback}} placeholder: a default set in the code, beside the one in application.yaml. */
    private static final Pattern FALLBACK = Pattern.compile("\\$\\{(stratos\\.[^}:]+):[^}]*}");

    /**
     * Every setting's default is in the jar's application.yaml, where the README's table and the operators look: the
     * project's {@code @ConfigurationProperties} records carry no {@code @DefaultValue}, and no {@code @Value},
     * {@code @Scheduled} or {@code @JmsListener} placeholder of a {@code stratos.*} key a fallback of its own.
     */
    @Test
    void settingsTakeTheirDefaultsFromApplicationYamlOnly() {
        List<String> ownDefaults =
                ownDefaults(manager.stream().map(JavaClass::reflect).toList());

        assertThat(ownDefaults).isEmpty();
    }

    /** The check above sees a default in each of the places one can hide. */
    @Test
    void defaultsRuleCatchesADefaultSetInTheCode() {
        assertThat(ownDefaults(List.of(PropertiesWithADefault.class, BeanWithFallbacks.class)))
                .hasSize(4);
    }

    @ConfigurationProperties("stratos.example")
    record PropertiesWithADefault(@DefaultValue("PT5S") Duration interval, Duration other) {}

    static class BeanWithFallbacks {
        @Value("${stratos.example.field:3}")
        int field;

        BeanWithFallbacks(
                @Value("${stratos.example.interval:PT5S}") Duration interval,
                @Value("${stratos.example.other}") Duration other) {}

        @Scheduled(fixedDelayString = "${stratos.example.every:PT1M}")
        void every() {}
    }

    static List<String> ownDefaults(List<Class<?>> types) {
        List<String> found = new ArrayList<>();
        for (Class<?> type : types) {
            List<AnnotatedElement> elements = new ArrayList<>(List.of(type.getDeclaredFields()));
            elements.addAll(List.of(type.getDeclaredMethods()));
            Stream.concat(Stream.of(type.getDeclaredConstructors()), Stream.of(type.getDeclaredMethods()))
                    .map(Executable::getParameters)
                    .flatMap(Stream::of)
                    .forEach(elements::add);
            for (AnnotatedElement element : elements) {
                String where = type.getName() + " "
                        + (element instanceof Parameter p
                                ? p.getDeclaringExecutable().getName() + "(" + p.getName() + ")"
                                : element.toString());
                if (element.isAnnotationPresent(DefaultValue.class)
                        && type.isAnnotationPresent(ConfigurationProperties.class)) {
                    found.add(where + ": @DefaultValue");
                }
                for (String text : placeholders(element)) {
                    if (FALLBACK.matcher(text).find()) {
                        found.add(where + ": " + text);
                    }
                }
            }
        }
        return found;
    }

    private static List<String> placeholders(AnnotatedElement element) {
        List<String> texts = new ArrayList<>();
        for (Annotation a : element.getAnnotations()) {
            if (a instanceof Value v) {
                texts.add(v.value());
            } else if (a instanceof Scheduled s) {
                texts.addAll(List.of(s.fixedDelayString(), s.fixedRateString(), s.initialDelayString(), s.cron()));
            } else if (a instanceof JmsListener j) {
                texts.add(j.destination());
            }
        }
        return texts;
    }
}

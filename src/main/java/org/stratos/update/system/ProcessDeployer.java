package org.stratos.update.system;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.Deployment;
import org.camunda.bpm.engine.repository.DeploymentBuilder;
import org.camunda.bpm.engine.repository.DeploymentWithDefinitions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * Deploys the flows of {@code processes/} and their forms at start-up as ONE deployment, under stable resource names
 * ({@code processes/<file>}). The flows call each other with {@code calledElementBinding="deployment"}: a running
 * update calls the child flows deployed together with the flow it started on, so it finishes on the flows it started
 * with; an edited flow is for the updates started after it. With duplicate filtering, a restart with every file
 * unchanged deploys nothing; one changed file deploys the whole set again (a new version of every flow), since a
 * flow can only call the flows of its own deployment. An {@code embedded:deployment:} form is found in the same
 * deployment. Explicit rather than Camunda's auto-deployment, whose resource names differ between {@code java -jar}
 * and {@code spring-boot:run} (every switch made new versions).
 *
 * <p>Upgrade: databases written before this held one deployment per flow ({@code stratos-update-manager/<flow>},
 * flows binding {@code latest}). Their names differ from {@link #DEPLOYMENT_NAME}, so the first start deploys the
 * whole set once; the old deployments stay (history, and flows started on them keep running: they call the latest
 * version of their children, which is then the set deployed here).
 */
@Component
public class ProcessDeployer implements InitializingBean {

    public static final String DEPLOYMENT_NAME = "stratos-update-manager";
    static final String DIRECTORY = "processes/";
    private static final Logger log = LoggerFactory.getLogger(ProcessDeployer.class);

    private final RepositoryService repository;

    public ProcessDeployer(RepositoryService repository) {
        this.repository = repository;
    }

    @Override
    public void afterPropertiesSet() throws IOException {
        deploy(filesOfTheClasspath());
    }

    /** The flows and forms in {@code processes/} on the classpath, by resource name, sorted. */
    public static Map<String, byte[]> filesOfTheClasspath() throws IOException {
        Resource[] files = new PathMatchingResourcePatternResolver().getResources("classpath*:" + DIRECTORY + "*.*");
        Arrays.sort(files, Comparator.comparing(Resource::getFilename));
        Map<String, byte[]> resources = new LinkedHashMap<>();
        for (Resource file : files) {
            String name = file.getFilename();
            if (name.endsWith(".bpmn") || name.endsWith(".html")) {
                try (InputStream in = file.getInputStream()) {
                    resources.put(DIRECTORY + name, in.readAllBytes());
                }
            }
        }
        return resources;
    }

    /**
     * Deploys these files (resource name to content) as one deployment, unless the latest deployment of the flows
     * holds them all unchanged. Answers the new deployment, or null when nothing changed.
     */
    public Deployment deploy(Map<String, byte[]> resources) {
        // deployChangedOnly = false: any change deploys every file, so every flow finds its children beside it
        DeploymentBuilder deployment = repository
                .createDeployment()
                .name(DEPLOYMENT_NAME)
                .source(DIRECTORY)
                .enableDuplicateFiltering(false);
        resources.forEach((name, content) -> deployment.addInputStream(name, new ByteArrayInputStream(content)));
        DeploymentWithDefinitions result = deployment.deployWithResult();
        // no definitions: duplicate filtering found every file unchanged (a restart); no new deployment was made
        boolean deployed = result.getDeployedProcessDefinitions() != null
                && !result.getDeployedProcessDefinitions().isEmpty();
        long flows =
                resources.keySet().stream().filter(n -> n.endsWith(".bpmn")).count();
        if (deployed) {
            log.info(
                    "Deployed {} flows and {} forms from processes/ as deployment {}",
                    flows,
                    resources.size() - flows,
                    result.getId());
            return result;
        }
        log.info("The {} flows of processes/ are deployed already, unchanged", flows);
        return null;
    }
}

package org.stratos.update.system;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Comparator;

import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.DeploymentBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * Deploys the flows of {@code processes/} at start-up under stable resource names ({@code processes/<file>.bpmn}),
 * with duplicate filtering of changed resources only: an unchanged flow is not deployed again, a changed one
 * becomes a new version of that flow alone. Explicit
 * rather than Camunda's auto-deployment, whose resource names differ between {@code java -jar} and
 * {@code spring-boot:run} (every switch made new versions).
 */
@Component
class ProcessDeployer implements InitializingBean {

    static final String DEPLOYMENT_NAME = "stratos-update-manager";
    private static final Logger log = LoggerFactory.getLogger(ProcessDeployer.class);

    private final RepositoryService repository;

    ProcessDeployer(RepositoryService repository) {
        this.repository = repository;
    }

    @Override
    public void afterPropertiesSet() throws IOException {
        Resource[] files = new PathMatchingResourcePatternResolver().getResources("classpath*:processes/*.bpmn");
        Arrays.sort(files, Comparator.comparing(Resource::getFilename));
        DeploymentBuilder deployment = repository.createDeployment().name(DEPLOYMENT_NAME)
                .source("processes/").enableDuplicateFiltering(true);
        for (Resource file : files) {
            try (InputStream in = file.getInputStream()) {
                deployment.addInputStream("processes/" + file.getFilename(), new java.io.ByteArrayInputStream(in.readAllBytes()));
            }
        }
        var deployed = deployment.deployWithResult().getDeployedProcessDefinitions();
        // null when duplicate filtering found every file unchanged (a restart)
        log.info("Deployed {} flows from processes/ ({} new or changed process definitions)", files.length,
                deployed == null ? 0 : deployed.size());
    }
}

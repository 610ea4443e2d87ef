package org.stratos.update.system;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

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
 * each flow as a deployment of its own together with its forms (the files named after it, such as
 * {@code phased-cluster-update.approve-next-batch.html}: an {@code embedded:deployment:} form is found in the
 * deployment of its flow). A flow whose file and forms are unchanged is not deployed again; a changed one becomes a
 * new version of that flow alone. Explicit rather than Camunda's auto-deployment, whose resource names differ between
 * {@code java -jar} and {@code spring-boot:run} (every switch made new versions).
 */
@Component
class ProcessDeployer implements InitializingBean {

    static final String DEPLOYMENT_NAME = "stratos-update-manager";
    private static final String DIRECTORY = "processes/";
    private static final Logger log = LoggerFactory.getLogger(ProcessDeployer.class);

    private final RepositoryService repository;

    ProcessDeployer(RepositoryService repository) {
        this.repository = repository;
    }

    @Override
    public void afterPropertiesSet() throws IOException {
        Resource[] files = new PathMatchingResourcePatternResolver().getResources("classpath*:" + DIRECTORY + "*.*");
        Arrays.sort(files, Comparator.comparing(Resource::getFilename));
        List<Resource> flows = Arrays.stream(files).filter(f -> f.getFilename().endsWith(".bpmn")).toList();
        int changed = 0;
        for (Resource flow : flows) {
            String name = flow.getFilename().substring(0, flow.getFilename().length() - ".bpmn".length());
            // the flow, and its forms: "<name>.<form>.html"
            DeploymentBuilder deployment = repository.createDeployment().name(DEPLOYMENT_NAME + "/" + name)
                    .source(DIRECTORY).enableDuplicateFiltering(false);
            for (Resource file : files) {
                String fileName = file.getFilename();
                if (file.equals(flow) || fileName.startsWith(name + ".") && fileName.endsWith(".html")) {
                    try (InputStream in = file.getInputStream()) {
                        deployment.addInputStream(DIRECTORY + fileName, new ByteArrayInputStream(in.readAllBytes()));
                    }
                }
            }
            var deployed = deployment.deployWithResult().getDeployedProcessDefinitions();
            // null when duplicate filtering found the flow and its forms unchanged (a restart)
            changed += deployed == null ? 0 : deployed.size();
        }
        log.info("Deployed {} flows from processes/ ({} new or changed process definitions)", flows.size(), changed);
    }
}

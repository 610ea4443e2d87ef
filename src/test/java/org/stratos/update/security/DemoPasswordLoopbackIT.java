package org.stratos.update.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.http.HttpResponse;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;
import org.stratos.update.support.TestHttp;

/**
 * The embedded default with the demo password, configured to listen on every interface: it listens on the loopback
 * address only, and says so in its log.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@TestPropertySource(
        locations = "classpath:stratos-test.properties",
        properties = {"camunda.bpm.admin-user.password=demo", "server.address=0.0.0.0"})
@ExtendWith(OutputCaptureExtension.class)
class DemoPasswordLoopbackIT {

    @Autowired
    ServletWebServerApplicationContext context;

    @LocalServerPort
    int port;

    @Test
    void withTheDemoPasswordHttpListensOnTheLoopbackAddressOnly(CapturedOutput output) throws Exception {
        Connector connector =
                ((TomcatWebServer) context.getWebServer()).getTomcat().getConnector();

        assertThat(connector.getProperty("address")).isEqualTo(InetAddress.getByName("127.0.0.1"));
        HttpResponse<String> health = TestHttp.anonymous(port).get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(output).contains("HAS THE DOCUMENTED DEMO PASSWORD").contains("listens on 127.0.0.1 only");
    }
}

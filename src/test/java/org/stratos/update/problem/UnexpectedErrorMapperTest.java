package org.stratos.update.problem;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.test.util.ReflectionTestUtils;

class UnexpectedErrorMapperTest {

    @Test
    void answers500WithAnErrorIdAndNothingOfTheException() {
        UnexpectedErrorMapper mapper = new UnexpectedErrorMapper();
        ReflectionTestUtils.setField(mapper, "request", new MockHttpServletRequest("GET", "/api/applications"));

        Response response = mapper.toResponse(new IllegalStateException("password=hunter2 at jdbc:h2:mem:secret"));

        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(response.getMediaType()).hasToString(Problem.MEDIA_TYPE);
        Problem problem = (Problem) response.getEntity();
        assertThat(problem.errorId()).matches("[0-9a-f]+");
        assertThat(problem.detail())
                .contains(problem.errorId())
                .doesNotContain("hunter2")
                .doesNotContain("jdbc");
        assertThat(problem.instance()).isEqualTo("/api/applications");
        assertThat(problem.title()).isEqualTo("Internal Server Error");
    }
}

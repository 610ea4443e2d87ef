package org.stratos.update.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.GroupQuery;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CamundaCredentialsTest {

    IdentityService identity = mock(IdentityService.class);
    MutableClock clock = new MutableClock();
    CamundaCredentials credentials;

    @BeforeEach
    void setUp() {
        Group admins = group(StratosGroups.CAMUNDA_ADMIN);
        GroupQuery groups = mock(GroupQuery.class, RETURNS_DEEP_STUBS);
        when(identity.createGroupQuery()).thenReturn(groups);
        when(groups.groupMember(anyString()).list()).thenReturn(List.of(admins));
        when(identity.checkPassword("anna", "right")).thenReturn(true);
        credentials = new CamundaCredentials(identity, clock, new SecurityProperties("demo", Duration.ofSeconds(30)));
    }

    @Test
    void membersOfCamundaAdminAreOperators() {
        Caller anna = credentials.authenticate("anna", "right").orElseThrow();

        assertThat(anna.roles()).contains(StratosGroups.OPERATORS, StratosGroups.CAMUNDA_ADMIN);
        assertThat(anna.getName()).isEqualTo("anna");
    }

    @Test
    void aSuccessfulCheckIsRememberedUntilItExpires() {
        credentials.authenticate("anna", "right");
        clock.advance(Duration.ofSeconds(29));
        credentials.authenticate("anna", "right");
        verify(identity, times(1)).checkPassword("anna", "right");

        clock.advance(Duration.ofSeconds(2));
        credentials.authenticate("anna", "right");
        verify(identity, times(2)).checkPassword("anna", "right");
    }

    @Test
    void aRememberedCheckDoesNotLetAnotherPasswordIn() {
        credentials.authenticate("anna", "right");

        assertThat(credentials.authenticate("anna", "wrong")).isEmpty();
        assertThat(credentials.authenticate("anna", "wrong")).isEmpty();
        verify(identity, times(2)).checkPassword("anna", "wrong");
    }

    @Test
    void nothingIsRememberedWhenTheCacheIsOff() {
        credentials = new CamundaCredentials(identity, clock, new SecurityProperties("demo", Duration.ZERO));

        credentials.authenticate("anna", "right");
        credentials.authenticate("anna", "right");

        verify(identity, times(2)).checkPassword("anna", "right");
    }

    @Test
    void aBlankUserIsNotChecked() {
        assertThat(credentials.authenticate("", "x")).isEmpty();
        assertThat(credentials.authenticate(null, "x")).isEmpty();
    }

    private static Group group(String id) {
        Group group = mock(Group.class);
        when(group.getId()).thenReturn(id);
        return group;
    }

    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}

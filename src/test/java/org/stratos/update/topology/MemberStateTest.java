package org.stratos.update.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MemberStateTest {

    @ParameterizedTest(name = "{0} -> {1} is allowed")
    @CsvSource({
        "Created, Initialized",
        "Initialized, Starting",
        "Starting, Active",
        "Active, Suspended",
        "Active, In_Maintenance",
        "Active, Starting",
        "Active, Updating",
        "Updating, Active",
        "Updating, Suspended",
        "Updating, Terminated",
        "Suspended, Terminated",
        "Suspended, Updating",
        "Suspended, Active",
        "In_Maintenance, ReadyToShutDown",
        "ReadyToShutDown, Terminated",
        "Created, Terminated",
        "Initialized, Terminated",
        "Starting, Terminated"
    })
    void stratosTransitionsAndUpdatingAreAllowed(String from, String to) {
        assertThat(MemberState.of(from).canMoveTo(MemberState.of(to))).isTrue();
    }

    @ParameterizedTest(name = "{0} -> {1} is refused")
    @CsvSource({
        "Created, Active", "Starting, Updating", "Initialized, Updating", "Updating, Starting",
        "Updating, In_Maintenance", "Updating, Updating", "Terminated, Active", "Terminated, Updating",
        "In_Maintenance, Updating", "Suspended, Starting", "ReadyToShutDown, Active"
    })
    void transitionsOutsideTheTableAreRefused(String from, String to) {
        assertThat(MemberState.of(from).canMoveTo(MemberState.of(to))).isFalse();
    }

    @Test
    void updatingLeadsOnlyToActiveSuspendedOrTerminated() {
        assertThat(MemberState.UPDATING.nextStates())
                .isEqualTo(EnumSet.of(MemberState.ACTIVE, MemberState.SUSPENDED, MemberState.TERMINATED));
    }

    @Test
    void terminatedIsFinal() {
        assertThat(MemberState.TERMINATED.nextStates()).isEmpty();
    }

    @Test
    void statesReadAndWriteStratosNames() {
        assertThat(MemberState.of("In_Maintenance")).isEqualTo(MemberState.IN_MAINTENANCE);
        assertThat(MemberState.READY_TO_SHUT_DOWN.stratosName()).isEqualTo("ReadyToShutDown");
        assertThatThrownBy(() -> MemberState.of("Sleeping")).hasMessageContaining("unknown member state 'Sleeping'");
    }
}

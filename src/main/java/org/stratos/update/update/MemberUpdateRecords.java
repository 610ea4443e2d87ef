package org.stratos.update.update;

import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.stratos.update.topology.MemberUpdateHistory;

/** The update records' answers for the topology about a member whose agent comes back. */
@Component
@Transactional(readOnly = true)
class MemberUpdateRecords implements MemberUpdateHistory {

    private final UpdateRepository repository;

    MemberUpdateRecords(UpdateRepository repository) {
        this.repository = repository;
    }

    @Override
    public boolean heldByRunningUpdate(String memberId) {
        return repository.inProgress(memberId);
    }

    @Override
    public List<String> lastUpdateVersions(String memberId) {
        return repository.lastUpdateVersions(memberId);
    }
}

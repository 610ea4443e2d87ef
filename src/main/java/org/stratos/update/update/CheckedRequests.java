package org.stratos.update.update;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import org.stratos.update.common.NotFoundException;
import org.stratos.update.topology.TopologyService;

/**
 * Loads updates with their checked request. The checked form of a stored request never changes, so it is kept in
 * memory per update id while the update runs (a few hundred bytes each) instead of being parsed again at every
 * member step.
 */
@Component
class CheckedRequests {

    /** The size of the column the request is stored in (stratos_update.request). */
    static final int MAX_STORED_REQUEST = 4000;

    private final UpdateRepository repository;
    private final TopologyService topology;
    private final ObjectMapper json;
    private final Map<String, UpdateRequestValidator.Checked> checked = new ConcurrentHashMap<>();

    CheckedRequests(UpdateRepository repository, TopologyService topology, ObjectMapper json) {
        this.repository = repository;
        this.topology = topology;
        this.json = json;
    }

    UpdateRecord update(String updateId) {
        return repository.find(updateId).orElseThrow(() -> new NotFoundException("no update '" + updateId + "'"));
    }

    UpdateRequestValidator.Checked checked(String updateId) {
        return checked.computeIfAbsent(updateId, id -> {
            UpdateRecord u = update(id);
            return UpdateRequestValidator.validate(read(u.request()), topology.clusters(u.applicationId()));
        });
    }

    /** Drops the kept checked request of an update that has ended (read again from the record if asked for). */
    void forget(String updateId) {
        checked.remove(updateId);
    }

    UpdateSettings settings(String updateId) {
        return checked(updateId).settings();
    }

    String write(UpdateRequest request) {
        try {
            return json.writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    UpdateRequest read(String request) {
        try {
            return json.readValue(request, UpdateRequest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt stored request: " + request, e);
        }
    }
}

package org.stratos.update.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratos.update.messaging.event.instance.notifier.SoftwareUpdateEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdateFailedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdatedEvent;

/**
 * What the agent has done: the updates it is working on, the results of the ones it finished (a command is the
 * triple updateId, rollback flag and no-op flag: the pre-flight of an update is not the update), and the version the
 * member runs. Commands arrive at least once, so a repeat must be answered from here instead of running Puppet again.
 * With a state directory this survives restarts in {@code agent-state.json}, written atomically; only the latest
 * {@value #REMEMBERED} results are kept. The remembered version wins over the configured one, which only says what a
 * member runs before its agent has applied anything.
 */
final class UpdateLedger {

    static final String STATE_FILE = "agent-state.json";
    static final int REMEMBERED = 64;

    private static final Logger log = LoggerFactory.getLogger(UpdateLedger.class);

    record Key(String updateId, boolean rollback, boolean noop) {
        static Key of(SoftwareUpdateEvent command) {
            return new Key(command.updateId(), command.rollback(), command.noop());
        }
    }

    /** What to do with a command: run it, or answer that it is under way, or answer with its earlier result. */
    record Admission(boolean run, Object earlierResult) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Handled(
            String updateId,
            boolean rollback,
            boolean noop,
            InstanceUpdatedEvent updated,
            InstanceUpdateFailedEvent failed) {
        Object result() {
            return updated != null ? updated : failed;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record State(String version, List<Handled> handled) {}

    private final Path file;
    private final String initialVersion;
    private final Set<Key> pending = new HashSet<>();
    private final Map<Key, Handled> handled = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Handled> eldest) {
            return size() > REMEMBERED;
        }
    };
    private volatile String version;

    private UpdateLedger(Path file, String initialVersion) {
        this.file = file;
        this.initialVersion = initialVersion;
        this.version = initialVersion;
    }

    /** In memory only when {@code directory} is null. */
    static UpdateLedger open(Path directory, String initialVersion) {
        UpdateLedger ledger =
                new UpdateLedger(directory == null ? null : directory.resolve(STATE_FILE), initialVersion);
        ledger.load();
        return ledger;
    }

    /** The version remembered in {@code directory}, if any; for a start without a configured version. */
    static String rememberedVersion(Path directory) {
        State state = read(directory.resolve(STATE_FILE));
        return state == null ? null : state.version();
    }

    String version() {
        return version;
    }

    synchronized Admission admit(SoftwareUpdateEvent command) {
        Key key = Key.of(command);
        if (pending.contains(key)) {
            return new Admission(false, null);
        }
        Handled earlier = handled.get(key);
        if (earlier != null) {
            return new Admission(false, earlier.result());
        }
        pending.add(key);
        return new Admission(true, null);
    }

    synchronized void complete(SoftwareUpdateEvent command, Object result) {
        Key key = Key.of(command);
        pending.remove(key);
        boolean updated = result instanceof InstanceUpdatedEvent;
        handled.put(
                key,
                new Handled(
                        key.updateId(),
                        key.rollback(),
                        key.noop(),
                        updated ? (InstanceUpdatedEvent) result : null,
                        updated ? null : (InstanceUpdateFailedEvent) result));
        if (updated && !key.noop()) { // a no-op run changes nothing
            version = command.version();
        }
        save();
    }

    synchronized void abandon(SoftwareUpdateEvent command) {
        pending.remove(Key.of(command));
    }

    private void load() {
        State state = file == null ? null : read(file);
        if (state == null) {
            return;
        }
        if (state.handled() != null) {
            state.handled().forEach(h -> handled.put(new Key(h.updateId(), h.rollback(), h.noop()), h));
        }
        if (state.version() != null) {
            // what the agent applied last is what the member runs, whatever its configuration file still says
            if (!state.version().equals(initialVersion)) {
                log.info(
                        "Member runs version {} (remembered in {}), not the configured {}",
                        state.version(),
                        file,
                        initialVersion);
            }
            version = state.version();
        }
    }

    private static State read(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return Json.MAPPER.readValue(file.toFile(), State.class);
        } catch (IOException e) {
            log.warn("Ignoring unreadable state file {}: {}", file, e.getMessage());
            return null;
        }
    }

    private void save() {
        if (file == null) {
            return;
        }
        Path temp = file.resolveSibling(STATE_FILE + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            Json.MAPPER.writeValue(temp.toFile(), new State(version, new ArrayList<>(handled.values())));
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warn("Could not remember handled updates in {}: {}", file, e.getMessage());
        }
    }
}

package org.stratos.update.agent;

import java.nio.file.Path;
import java.util.List;

/**
 * Where Puppet keeps what the agent reads and writes around a run. Any of them may be null: nothing is written or
 * read there (the simulated fleet, a command that is not Puppet).
 *
 * @param factsFile   the external fact file the agent writes before every run ({@code stratos_version} and the rest);
 *                    Facter reads {@code /etc/facter/facts.d} (Debian's facter 4 as root; Puppet's own packages read
 *                    it too), so scheduled runs and runs under {@code sudo} see the same values as the agent's run
 * @param stateDir    Puppet's {@code statedir} ({@code $vardir/state}): its run lock {@code agent_catalog_run.lock}
 *                    and the {@code agent_disabled.lock} of {@code puppet agent --disable}
 * @param summaryFile Puppet's {@code lastrunfile} ({@code last_run_summary.yaml}), for the resources a run changed
 *                    and failed
 */
public record PuppetFiles(Path factsFile, Path stateDir, Path summaryFile) {

    /** Debian's {@code puppet} run as root. */
    static final Path DEBIAN_VARDIR = Path.of("/var/cache/puppet");

    static final Path DEBIAN_PUBLICDIR = Path.of("/var/cache/puppet/public");
    static final Path DEBIAN_FACTS_FILE = Path.of("/etc/facter/facts.d/stratos.json");
    static final String RUN_LOCK = "agent_catalog_run.lock";
    static final String DISABLED_LOCK = "agent_disabled.lock";
    static final String SUMMARY = "last_run_summary.yaml";

    /** Nothing of Puppet's: no fact file, no locks, no summary. */
    public static final PuppetFiles NONE = new PuppetFiles(null, null, null);

    Path runLock() {
        return stateDir == null ? null : stateDir.resolve(RUN_LOCK);
    }

    Path disabledLock() {
        return stateDir == null ? null : stateDir.resolve(DISABLED_LOCK);
    }

    /**
     * Where Debian's Puppet keeps these files when it runs {@code command}: its {@code --vardir} (statedir
     * {@code <vardir>/state}), {@code --statedir}, {@code --lastrunfile} or {@code --publicdir} when the command names
     * them, else Debian's defaults for root ({@code /var/cache/puppet}; the summary goes to
     * {@code /var/cache/puppet/public} whatever the vardir). Options in either form {@code --opt=value} or
     * {@code --opt value}.
     */
    static PuppetFiles forCommand(List<String> command, Path factsFile) {
        String vardir = option(command, "vardir");
        String statedir = option(command, "statedir");
        String lastrunfile = option(command, "lastrunfile");
        String publicdir = option(command, "publicdir");
        Path state = statedir != null
                ? Path.of(statedir)
                : (vardir != null ? Path.of(vardir) : DEBIAN_VARDIR).resolve("state");
        Path summary = lastrunfile != null
                ? Path.of(lastrunfile)
                : (publicdir != null ? Path.of(publicdir) : DEBIAN_PUBLICDIR).resolve(SUMMARY);
        return new PuppetFiles(factsFile, state, summary);
    }

    private static String option(List<String> command, String name) {
        for (int i = 0; i < command.size(); i++) {
            String arg = command.get(i);
            if (arg.startsWith("--" + name + "=")) {
                return arg.substring(name.length() + 3);
            }
            if (arg.equals("--" + name) && i + 1 < command.size()) {
                return command.get(i + 1);
            }
        }
        return null;
    }
}

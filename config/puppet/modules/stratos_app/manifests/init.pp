# @summary The application of a Stratos member, at the version the Stratos member agent asks for.
#
# Before every Puppet run the member agent writes its facts to /etc/facter/facts.d/stratos.json, so this
# class sees the same version in the agent's run, in a run under sudo and in a scheduled run:
#   stratos_version           the version to install (on a rollback: the version to go back to)
#   stratos_previous_version  the version the member ran before the update
#   stratos_rollback          true when the manager is rolling the member back
#   stratos_update_id         the update that asked for it
#   stratos_noop              true during a pre-flight (the run is also --noop: nothing changes)
#
# A version that is not among $releases fails the catalog (puppet exits 1, before anything changes).
#
# @param base_dir        where the application lives
# @param releases        the versions this module can install
# @param pages           how many content pages to publish
# @param settle_seconds  how long the application takes to settle after a new version (0: at once)
class stratos_app (
  Pattern[/\A\//] $base_dir = '/opt/stratos-app',
  Array[String[1]] $releases = ['1.0', '1.1', '1.2', '1.5', '2.0', '2.1', '3.0'],
  Integer[0] $pages = 3,
  Integer[0] $settle_seconds = 0,
) {
  $version = $facts['stratos_version']
  if $version =~ Undef {
    fail('stratos_app: no stratos_version fact; the Stratos member agent writes it to /etc/facter/facts.d/stratos.json')
  }
  unless $version in $releases {
    fail("stratos_app: no release ${version} (this module knows ${releases.join(', ')})")
  }
  $previous = $facts['stratos_previous_version'] ? { undef => 'none', default => $facts['stratos_previous_version'] }
  $rollback = $facts['stratos_rollback'] == true

  file { $base_dir:
    ensure => directory,
  }
  file { "${base_dir}/config.ini":
    content => "[app]\nversion = ${version}\n",
  }
  file { "${base_dir}/VERSION":
    content => "${version}\n",
  }
  file { "${base_dir}/release.json":
    content => "{\"version\": \"${version}\", \"previous\": \"${previous}\", \"rollback\": ${rollback}, \"update\": \"${facts['stratos_update_id']}\"}\n",
  }
  file { "${base_dir}/pages":
    ensure => directory,
  }
  $pages.each |Integer $page| {
    file { "${base_dir}/pages/page-${page}.html":
      content => "<h1>Page ${page}</h1><p>version ${version}</p>\n",
    }
  }
  if $settle_seconds > 0 {
    exec { "stratos_app settles on ${version}":
      command     => "sleep ${settle_seconds}",
      path        => ['/usr/bin', '/bin'],
      refreshonly => true,
      subscribe   => File["${base_dir}/VERSION"],
    }
  }
}

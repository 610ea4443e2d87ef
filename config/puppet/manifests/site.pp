# Every node runs the Stratos application at the version its member agent asks for (see docs/puppet.md).
node default {
  include stratos_app
}

// Cockpit's configuration in the Stratos Update Manager: Camunda's defaults, plus the updates plugin
// (stratos-updates.js beside this file: a tab on the update flows' instances, counts on their diagrams, running updates
// on the dashboard). See docs/operating.md.
export default {
  customScripts: ['scripts/stratos-updates']
};

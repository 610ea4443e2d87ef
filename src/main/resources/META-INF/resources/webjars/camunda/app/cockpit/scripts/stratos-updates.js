// The updates plugin of Cockpit (Camunda 7 plugin API: plain ES module, no build step).
//  - tab "Update members" on every instance of the update flows: each member's state, versions, batch, exit code,
//    reason and output; live from GET /api/updates/{id}/events; pause, resume, abort and approve for operators
//  - counts (updating / done / failed) on the diagram, on the step that works on the members
//  - "Running updates" on the dashboard
// It calls the manager's /api with the Cockpit login (its session; state-changing calls send the CSRF token), so
// viewers see and operators act, as with HTTP Basic.

const FLOWS = ['softwareUpdate', 'phasedClusterUpdate', 'allAtOnceClusterUpdate', 'batchUpdate', 'clusterRollback',
  'memberUpdate'];
const ENDED = ['COMPLETED', 'COMPLETED_WITH_FAILURES', 'FAILED', 'ROLLED_BACK', 'ABORTED', 'CANCELLED'];

// ---- talking to the manager

const appRoot = document.querySelector('base').getAttribute('app-root'); // e.g. /camunda
const API = appRoot.substring(0, appRoot.lastIndexOf('/')) + '/api';

function csrfToken(api) {
  const cookie = document.cookie.split('; ').find(c => c.startsWith('XSRF-TOKEN='));
  return cookie ? decodeURIComponent(cookie.substring('XSRF-TOKEN='.length)) : api.CSRFToken;
}

async function call(api, method, path) {
  const headers = {Accept: 'application/json'};
  if (method !== 'GET') {
    headers['X-XSRF-TOKEN'] = csrfToken(api);
  }
  const response = await fetch(API + path, {method, headers, credentials: 'same-origin'});
  const body = response.headers.get('Content-Type')?.includes('json') ? await response.json() : null;
  if (!response.ok) {
    throw new Error((body && (body.detail || body.title)) || response.status + ' ' + response.statusText);
  }
  return body;
}

/** Cockpit's own engine API (its login, the engine's authorizations); the engine's name is in Cockpit's path. */
async function engine(api, path) {
  const name = /\/app\/cockpit\/([^/]+)\//.exec(window.location.pathname)?.[1] || 'default';
  const response = await fetch(api.baseApi + '/engine/' + name + path,
    {headers: {Accept: 'application/json'}, credentials: 'same-origin'});
  if (!response.ok) {
    throw new Error('Cockpit could not read ' + path + ': ' + response.status);
  }
  return response.json();
}

/** The update an instance of one of the flows belongs to: its business key (members: "<updateId>/<memberId>..."). */
async function flowOf(api, processInstanceId) {
  const instance = await engine(api, '/process-instance/' + processInstanceId);
  const key = instance.definitionId.split(':')[0];
  if (!FLOWS.includes(key) || !instance.businessKey) {
    return null;
  }
  const [updateId, memberId] = instance.businessKey.split('/');
  const flow = {key, updateId, memberId, processInstanceId};
  if (key === 'phasedClusterUpdate' || key === 'allAtOnceClusterUpdate' || key === 'clusterRollback'
      || key === 'batchUpdate') {
    const vars = await engine(api, '/process-instance/' + processInstanceId + '/variables?deserializeValues=false');
    flow.clusterId = vars.clusterId && vars.clusterId.value;
    flow.batchMembers = key === 'batchUpdate' && vars.batchMembers ? listOf(vars.batchMembers.value) : null;
  }
  return flow;
}

/** A list variable (JSON text); null for one the tab cannot read (a Java list of a flow started before 2026-12). */
function listOf(text) {
  try {
    const list = JSON.parse(text);
    return Array.isArray(list) ? list : null;
  } catch (e) {
    return null;
  }
}

/**
 * The updates followed on this page: one event stream per update (GET /api/updates/{id}/events), shared by the
 * views that show it (the tab and the diagram), closed when none of them is on the page any more: a browser keeps
 * only a few connections per server open.
 */
const watches = new Map();

/** Calls onUpdate with the update now and at each change while node is on the page. */
function follow(updateId, node, onUpdate, onTrouble) {
  forgetDetached();
  let watch = watches.get(updateId);
  if (!watch) {
    const source = new EventSource(API + '/updates/' + encodeURIComponent(updateId) + '/events');
    watch = {source, views: new Set(), last: null};
    const take = event => {
      watch.last = JSON.parse(event.data);
      watch.views.forEach(view => {
        view.onTrouble(null);
        view.onUpdate(watch.last);
      });
    };
    source.addEventListener('progress', take);
    source.addEventListener('ended', event => {
      take(event);
      source.close();
      watches.delete(updateId);
    });
    source.onerror = () => {
      if (source.readyState !== EventSource.CLOSED) {
        watch.views.forEach(view => view.onTrouble('connection to the manager lost, reconnecting…'));
      }
    };
    watches.set(updateId, watch);
  }
  watch.views.add({node, onUpdate, onTrouble});
  if (watch.last) {
    onUpdate(watch.last);
  }
}

function forgetDetached() {
  watches.forEach((watch, updateId) => {
    watch.views.forEach(view => !view.node.isConnected && watch.views.delete(view));
    if (watch.views.size === 0) {
      watch.source.close();
      watches.delete(updateId);
    }
  });
}

setInterval(forgetDetached, 5000);

// ---- building the page (textContent only: member messages and outputs come from agents)

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([name, value]) => {
    if (name === 'onclick') {
      node.addEventListener('click', value);
    } else if (value !== undefined && value !== null && value !== false) {
      node.setAttribute(name, value === true ? '' : value);
    }
  });
  children.flat(Infinity).forEach(child => {
    if (child !== null && child !== undefined && child !== false) {
      node.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(child) : child);
    }
  });
  return node;
}

const STYLE = `
.stratos-updates { padding: 8px 12px; }
.stratos-updates .summary { margin-bottom: 8px; }
.stratos-updates .summary strong { margin-right: 6px; }
.stratos-updates .controls button { margin: 0 6px 6px 0; }
.stratos-updates .status { min-height: 1.4em; color: #b5152b; }
.stratos-updates .cluster { margin-top: 10px; }
.stratos-updates table { width: 100%; }
.stratos-updates td, .stratos-updates th { padding: 3px 6px; vertical-align: top; }
.stratos-updates pre { max-height: 240px; overflow: auto; margin: 4px 0; white-space: pre-wrap; }
.stratos-state { font-weight: bold; }
.stratos-state-UPDATING, .stratos-state-ROLLING_BACK, .stratos-state-RUNNING { color: #1f6fb5; }
.stratos-state-UPDATED, .stratos-state-ROLLED_BACK, .stratos-state-COMPLETED { color: #2b7a2b; }
.stratos-state-FAILED, .stratos-state-ROLLBACK_FAILED, .stratos-state-COMPLETED_WITH_FAILURES { color: #b5152b; }
.stratos-state-WAITING_FOR_APPROVAL, .stratos-state-PAUSED, .stratos-state-PAUSING, .stratos-state-ABORTING { color: #a66300; }
.stratos-counts { background: #fff; border: 1px solid #52606d; border-radius: 3px; padding: 1px 5px;
  font-size: 12px; white-space: nowrap; }
.stratos-counts .working { color: #1f6fb5; } .stratos-counts .done { color: #2b7a2b; }
.stratos-counts .failed { color: #b5152b; }
`;

function addStyle() {
  if (!document.getElementById('stratos-updates-style')) {
    document.head.appendChild(el('style', {id: 'stratos-updates-style'}, STYLE));
  }
}

function state(text) {
  return el('span', {class: 'stratos-state stratos-state-' + text, 'data-state': text}, text);
}

function duration(millis) {
  if (millis === undefined || millis === null) {
    return '';
  }
  return millis < 1000 ? millis + ' ms' : (millis / 1000).toFixed(1) + ' s';
}

// ---- the tab

function memberRows(cluster, member, shown, toggle) {
  const open = shown.has(member.memberId);
  const place = member.currentMemberId && member.currentMemberId !== member.memberId
    ? [member.memberId, el('br'), '→ ' + member.currentMemberId] : [member.memberId];
  const row = el('tr', {'data-member': member.memberId},
    el('td', {}, place),
    el('td', {}, String(member.batch)),
    el('td', {}, state(member.state)),
    el('td', {}, (member.fromVersion || '') + ' → ' + (member.toVersion || '')),
    el('td', {'data-exit-code': true}, member.exitCode === undefined || member.exitCode === null ? '' : String(member.exitCode)),
    el('td', {}, duration(member.durationMillis)),
    el('td', {'data-message': true}, member.message || ''),
    el('td', {}, member.outputTail
      ? el('button', {class: 'btn btn-xs btn-default', 'data-output': member.memberId, onclick: () => toggle(member.memberId)},
        open ? 'Hide output' : 'Output')
      : ''));
  if (!open || !member.outputTail) {
    return [row];
  }
  return [row, el('tr', {'data-output-of': member.memberId}, el('td', {colspan: 8}, el('pre', {}, member.outputTail)))];
}

function clusterSection(cluster, flow, shown, toggle) {
  let members = cluster.memberProgress || [];
  if (flow.key === 'batchUpdate' && flow.batchMembers) {
    members = members.filter(m => flow.batchMembers.includes(m.memberId));
  } else if (flow.key === 'memberUpdate') {
    members = members.filter(m => m.memberId === flow.memberId);
  }
  const c = cluster.counts;
  return el('div', {class: 'cluster', 'data-cluster': cluster.clusterId},
    el('h4', {}, (cluster.alias || cluster.clusterId) + ' ', state(cluster.state),
      el('small', {}, ' ' + cluster.clusterId + ' · ' + (cluster.fromVersion || '?') + ' → ' + (cluster.toVersion || '?')
        + ' · batch ' + cluster.currentBatch + ' of ' + cluster.batchesPlanned
        + ' · ' + cluster.percentComplete + '% · updating ' + (c.updating + c.rollingBack) + ', updated ' + c.updated
        + ', failed ' + c.failed + ', rolled back ' + c.rolledBack + ', rollback failed ' + c.rollbackFailed
        + ', pending ' + c.pending)),
    cluster.message ? el('p', {'data-cluster-message': true}, cluster.message) : null,
    members.length === 0 ? el('p', {}, 'No member has started yet.') : el('table', {class: 'cam-table'},
      el('thead', {}, el('tr', {}, ['Member', 'Batch', 'State', 'Version', 'Exit code', 'Duration', 'Reason / message', '']
        .map(h => el('th', {}, h)))),
      el('tbody', {}, members.map(m => memberRows(cluster, m, shown, toggle)))));
}

const ACTIONS = [
  {id: 'approve', label: 'Approve the next batch', states: ['WAITING_FOR_APPROVAL'], cls: 'btn-primary'},
  {id: 'pause', label: 'Pause', states: ['RUNNING', 'WAITING_FOR_APPROVAL']},
  {id: 'resume', label: 'Resume', states: ['PAUSED', 'PAUSING']},
  {id: 'abort', label: 'Abort…', states: ['RUNNING', 'PAUSING', 'PAUSED', 'WAITING_FOR_APPROVAL'], cls: 'btn-danger'}
];

function controls(update, operator, ui) {
  if (ENDED.includes(update.state)) {
    return el('div', {class: 'controls'});
  }
  if (!operator) {
    return el('div', {class: 'controls'}, el('em', {}, 'Only members of stratos-operators can pause, resume, abort or approve.'));
  }
  if (ui.confirmAbort) {
    return el('div', {class: 'controls'},
      el('span', {}, 'Abort: no new batch starts; the running batch finishes. '),
      el('button', {class: 'btn btn-sm btn-danger', 'data-action': 'abort-keep', onclick: () => ui.act('abort')},
        'Abort, members stay as they are'),
      el('button', {class: 'btn btn-sm btn-danger', 'data-action': 'abort-rollback',
        onclick: () => ui.act('abort?rollback=true')}, 'Abort and roll back'),
      el('button', {class: 'btn btn-sm btn-default', 'data-action': 'abort-cancel', onclick: () => ui.confirm(false)},
        'Cancel'));
  }
  return el('div', {class: 'controls'}, ACTIONS.filter(a => a.states.includes(update.state)).map(a =>
    el('button', {class: 'btn btn-sm ' + (a.cls || 'btn-default'), 'data-action': a.id,
      onclick: () => a.id === 'abort' ? ui.confirm(true) : ui.act(a.id)}, a.label)));
}

function renderUpdate(node, update, flow, ui) {
  const clusters = (update.clusters || []).filter(c => !flow.clusterId || c.clusterId === flow.clusterId);
  const t = update.totals;
  node.replaceChildren(el('div', {class: 'stratos-updates', 'data-update': update.updateId},
    el('div', {class: 'summary'},
      el('strong', {}, 'Update ' + update.updateId), state(update.state),
      update.requestedAction ? el('span', {}, ' (requested: ' + update.requestedAction + ')') : null,
      el('span', {}, ' · application ' + update.applicationId + ' · ' + update.percentComplete + '% of '
        + update.members + ' members · updating ' + (t.updating + t.rollingBack) + ', updated ' + t.updated + ', failed '
        + t.failed + ', rolled back ' + t.rolledBack),
      update.message ? el('div', {'data-update-message': true}, update.message) : null,
      el('div', {}, el('small', {'data-live': true}, ui.trouble || (ENDED.includes(update.state) ? 'ended' : 'live')))),
    controls(update, ui.operator, ui),
    el('div', {class: 'status', 'data-status': true}, ui.status || ''),
    clusters.map(c => clusterSection(c, flow, ui.shown, ui.toggle))));
}

async function renderTab(node, {api, processInstanceId}) {
  addStyle();
  node.replaceChildren(el('div', {class: 'stratos-updates'}, 'Loading the update…'));
  let flow;
  let me;
  try {
    [flow, me] = await Promise.all([flowOf(api, processInstanceId), call(api, 'GET', '/me')]);
  } catch (e) {
    node.replaceChildren(el('div', {class: 'stratos-updates status'}, e.message));
    return;
  }
  if (!flow) {
    node.replaceChildren(el('div', {class: 'stratos-updates'}, 'This instance is not one of the update flows.'));
    return;
  }
  let update = null;
  const ui = {
    operator: me.operator, shown: new Set(), status: null, trouble: null, confirmAbort: false,
    redraw: () => update && renderUpdate(node, update, flow, ui),
    toggle: id => {
      ui.shown.has(id) ? ui.shown.delete(id) : ui.shown.add(id);
      ui.redraw();
    },
    confirm: on => {
      ui.confirmAbort = on;
      ui.redraw();
    },
    act: async action => {
      ui.confirmAbort = false;
      ui.status = null;
      try {
        update = await call(api, 'POST', '/updates/' + encodeURIComponent(flow.updateId) + '/' + action);
      } catch (e) {
        ui.status = e.message;
      }
      ui.redraw();
    }
  };
  follow(flow.updateId, node, now => {
    update = now;
    ui.redraw();
  }, trouble => {
    ui.trouble = trouble;
    ui.redraw();
  });
}

// ---- counts on the diagram

/** The step of each flow that works on members: where the counts go. */
const COUNTED = {
  softwareUpdate: ['callActivity_updateCluster'],
  phasedClusterUpdate: ['callActivity_updateBatch', 'callActivity_rollBackChangedMembers'],
  allAtOnceClusterUpdate: ['callActivity_updateEveryMember', 'callActivity_rollBackAllMembers'],
  batchUpdate: ['receiveTask_waitForAgentReports', 'callActivity_replaceMembers'],
  clusterRollback: ['callActivity_rollBackMembers'],
  memberUpdate: ['receiveTask_waitForReplacementReady']
};

function countsOf(update, flow) {
  let members = (update.clusters || []).filter(c => !flow.clusterId || c.clusterId === flow.clusterId)
    .flatMap(c => c.memberProgress || []);
  if (flow.key === 'batchUpdate' && flow.batchMembers) {
    members = members.filter(m => flow.batchMembers.includes(m.memberId));
  } else if (flow.key === 'memberUpdate') {
    members = members.filter(m => m.memberId === flow.memberId);
  }
  const count = states => members.filter(m => states.includes(m.state)).length;
  return {
    working: count(['UPDATING', 'ROLLING_BACK']),
    done: count(['UPDATED', 'ROLLED_BACK']),
    failed: count(['FAILED', 'ROLLBACK_FAILED'])
  };
}

async function renderDiagram(viewer, {api, processInstanceId}) {
  addStyle();
  const flow = await flowOf(api, processInstanceId).catch(() => null);
  if (!flow || !COUNTED[flow.key]) {
    return;
  }
  const overlays = viewer.get('overlays');
  const registry = viewer.get('elementRegistry');
  const targets = COUNTED[flow.key].filter(id => registry.get(id));
  let placed = [];
  follow(flow.updateId, viewer.get('canvas').getContainer(), update => {
    placed.forEach(id => overlays.remove(id));
    const n = countsOf(update, flow);
    placed = targets.map(target => overlays.add(target, 'stratos-counts', {
      position: {bottom: -4, left: 0},
      html: el('div', {class: 'stratos-counts', 'data-counts': target, title: 'members: updating · done · failed'},
        el('span', {class: 'working'}, '⟳ ' + n.working), ' · ',
        el('span', {class: 'done'}, '✓ ' + n.done), ' · ',
        el('span', {class: 'failed'}, '✗ ' + n.failed))
    }));
  }, () => {});
}

// ---- the dashboard

let dashboardTimer = null;

/** The running updates, read again every 5 seconds while the dashboard is shown. */
function renderDashboard(node, {api}) {
  addStyle();
  const section = el('section', {class: 'stratos-updates', 'data-running-updates': true}, el('h3', {}, 'Running updates'),
    el('p', {}, 'Loading…'));
  node.replaceChildren(section);
  clearInterval(dashboardTimer);
  listRunningUpdates(api, section);
  dashboardTimer = setInterval(() => listRunningUpdates(api, section), 5000);
}

async function listRunningUpdates(api, section) {
  try {
    const updates = (await call(api, 'GET', '/updates?limit=100')).filter(u => !ENDED.includes(u.state));
    const instances = await engine(api, '/process-instance?processDefinitionKey=softwareUpdate');
    const instanceOf = Object.fromEntries(instances.map(i => [i.businessKey, i.id]));
    section.replaceChildren(el('h3', {}, 'Running updates'), updates.length === 0
      ? el('p', {}, 'No update is running.')
      : el('table', {class: 'cam-table'},
        el('thead', {}, el('tr', {}, ['Update', 'Application', 'State', 'Cluster', 'Batch', 'Done', 'Updating', 'Failed']
          .map(h => el('th', {}, h)))),
        el('tbody', {}, updates.map(u => el('tr', {'data-update': u.updateId},
          el('td', {}, instanceOf[u.updateId]
            ? el('a', {href: '#/process-instance/' + instanceOf[u.updateId] + '/runtime?tab=stratos-update-members'},
              u.updateId)
            : u.updateId),
          el('td', {}, u.applicationId),
          el('td', {}, state(u.state)),
          el('td', {}, u.currentCluster || ''),
          el('td', {}, u.currentBatch === undefined ? '' : String(u.currentBatch)),
          el('td', {}, u.percentComplete + '%'),
          el('td', {}, String(u.totals.updating + u.totals.rollingBack)),
          el('td', {}, String(u.totals.failed + u.totals.rollbackFailed)))))));
  } catch (e) {
    section.replaceChildren(el('h3', {}, 'Running updates'), el('p', {class: 'status'}, e.message));
  }
}

export default [
  {
    id: 'stratos-update-members',
    pluginPoint: 'cockpit.processInstance.runtime.tab',
    priority: 20,
    label: 'Update members',
    render: renderTab,
    unmount: forgetDetached
  },
  {
    id: 'stratos-update-counts',
    pluginPoint: 'cockpit.processInstance.diagram.plugin',
    priority: 0,
    render: renderDiagram,
    unmount: forgetDetached
  },
  {
    id: 'stratos-running-updates',
    pluginPoint: 'cockpit.dashboard',
    priority: 100,
    label: 'Running updates',
    render: renderDashboard,
    unmount: () => clearInterval(dashboardTimer)
  }
];

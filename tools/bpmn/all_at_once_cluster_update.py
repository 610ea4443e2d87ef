from bpmnlayout import *

p = Process('allAtOnceClusterUpdate', 'All-at-once cluster update', doc=(
    'An incompatible update of one cluster: the cluster is announced Patching (topology.ClusterPatchingEvent) - a '
    'container cluster loses all its old members then, before any new one starts - every member is updated at the '
    'same time and verified, and the cluster is brought back Active on the new version. If '
    'more members fail than maxFailures allows, compensation rolls every member back to the previous version (with '
    'autoRollback) and the cluster comes back on that version.'))

p.start('startEvent_clusterUpdateStarted', 'Cluster update started', (0, 1))
p.service('serviceTask_planClusterUpdate', 'Plan the cluster update', (1, 1), 'planClusterUpdateDelegate',
          async_before=True, retry=RETRY)
p.service('serviceTask_announcePatching', 'Take the cluster down: Patching (containers: every old member removed)', (2, 1),
          'announcePatchingDelegate')
sp = p.subprocess('subProcess_updateAllMembers', 'Update all members at once', (3, 0), 3, 3)
sp.start('startEvent_allMembersStarted', 'Members to update', (3, 1))
sp.task('callActivity', 'callActivity_updateEveryMember', 'Update every member', (4, 1),
        {'calledElement': 'batchUpdate', 'camunda:calledElementBinding': 'latest', 'camunda:asyncAfter': 'true'},
        call_body(ins=('updateId', 'clusterId', 'rollback', 'batchMembers', 'applyMode'),
                  business_key='#{execution.processBusinessKey}', retry=RETRY))
sp.end('endEvent_allMembersDone', 'All members done', (5, 1))
p.boundary('boundaryEvent_compensateAllMembers', None, sp, compensate_def(catching=True), pos=0.5)
p.task('callActivity', 'callActivity_rollBackAllMembers', 'Roll back every member', (5, 4),
       {'calledElement': 'clusterRollback', 'camunda:calledElementBinding': 'latest', 'isForCompensation': 'true'},
       call_body(ins=('updateId', 'clusterId'), business_key='#{execution.processBusinessKey}'))
p.association('boundaryEvent_compensateAllMembers', 'callActivity_rollBackAllMembers')
p.service('serviceTask_assessCluster', 'Count the failures', (6, 1), 'assessBatchDelegate')
p.service('serviceTask_concludeCluster', 'Conclude the cluster', (7, 1), 'concludeClusterDelegate')
p.gateway('exclusiveGateway_outcome', 'Outcome?', (8, 1))
p.service('serviceTask_bringBackUpdated', 'Bring the cluster back on the new version', (9, 1),
          'bringClusterBackDelegate')
p.end('endEvent_clusterUpdated', 'Cluster updated', (10, 1))
p.throw('throwEvent_rollBack', 'Roll back every member', (9, 2), compensate_def())
p.service('serviceTask_bringBackRolledBack', 'Bring the cluster back on the previous version', (10, 2),
          'bringClusterBackDelegate')
p.end('endEvent_clusterRolledBack', 'Cluster rolled back', (11, 2))
p.service('serviceTask_bringBackFailed', 'Bring the cluster back as it is', (9, 3), 'bringClusterBackDelegate')
p.end('endEvent_clusterNotUpdated', 'Cluster not updated', (10, 3))

f = p.flow
f('startEvent_clusterUpdateStarted', 'serviceTask_planClusterUpdate')
f('serviceTask_planClusterUpdate', 'serviceTask_announcePatching')
f('serviceTask_announcePatching', 'subProcess_updateAllMembers')
sp.flow('startEvent_allMembersStarted', 'callActivity_updateEveryMember')
sp.flow('callActivity_updateEveryMember', 'endEvent_allMembersDone')
f('subProcess_updateAllMembers', 'serviceTask_assessCluster')
f('serviceTask_assessCluster', 'serviceTask_concludeCluster')
f('serviceTask_concludeCluster', 'exclusiveGateway_outcome')
f('exclusiveGateway_outcome', 'serviceTask_bringBackUpdated', 'updated', "${clusterOutcome == 'UPDATED'}")
f('serviceTask_bringBackUpdated', 'endEvent_clusterUpdated')
f('exclusiveGateway_outcome', 'throwEvent_rollBack', 'roll back', "${clusterOutcome == 'ROLLING_BACK'}")
f('throwEvent_rollBack', 'serviceTask_bringBackRolledBack')
f('serviceTask_bringBackRolledBack', 'endEvent_clusterRolledBack')
f('exclusiveGateway_outcome', 'serviceTask_bringBackFailed', 'failed or aborted',
  "${clusterOutcome == 'FAILED' || clusterOutcome == 'ABORTED'}")
f('serviceTask_bringBackFailed', 'endEvent_clusterNotUpdated')
open('../../processes/all-at-once-cluster-update.bpmn', 'w').write(p.xml())
print('ok')

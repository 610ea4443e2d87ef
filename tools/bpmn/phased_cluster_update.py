from bpmnlayout import *

p = Process('phasedClusterUpdate', 'Phased cluster update', doc=(
    'A backward-compatible update of one cluster, batch after batch, so the cluster stays up. Before each batch the '
    'next step is decided from the update record: the next batch (never taking the cluster below minHealthyPercent '
    'Active), an operator approval (canary gate), a pause, or the end. Failures are counted against maxFailures; past '
    'it no new batch starts and, with autoRollback, compensation rolls back every member changed, last batch first.'))
p.message('message_updateResumed', 'softwareUpdate.resumed')
p.message('message_updateAborted', 'softwareUpdate.aborted')

p.start('startEvent_clusterUpdateStarted', 'Cluster update started', (0, 1))
p.service('serviceTask_planBatches', 'Plan the batches', (1, 1), 'planClusterUpdateDelegate', async_before=True,
          retry=RETRY)
sp = p.subprocess('subProcess_rollOutBatches', 'Roll out batches', (2, 0), 10, 6)
sp.start('startEvent_rollOutStarted', 'Roll-out started', (2, 1))
sp.gateway('exclusiveGateway_nextStep', None, (3, 1))
# async: each decision is a job of its own; a pause or abort requested meanwhile is seen here
sp.service('serviceTask_decideNextStep', 'Decide the next step', (4, 1), 'decideNextStepDelegate', async_before=True,
           retry=RETRY)
sp.gateway('exclusiveGateway_whatNext', 'What next?', (5, 1))
sp.task('callActivity', 'callActivity_updateBatch', "Update the batch's members", (6, 1),
        {'calledElement': 'batchUpdate', 'camunda:calledElementBinding': 'latest', 'camunda:asyncAfter': 'true'},
        call_body(ins=('updateId', 'clusterId', 'rollback', 'batchMembers', 'applyMode'),
                  business_key='#{execution.processBusinessKey}', retry=RETRY))
sp.service('serviceTask_assessBatch', "Count the batch's failures", (7, 1), 'assessBatchDelegate')
sp.gateway('exclusiveGateway_budgetExceeded', 'Failure budget exceeded?', (8, 1))
sp.end('endEvent_budgetExceeded', 'Failure budget exceeded', (9, 0))
sp.gateway('exclusiveGateway_bake', 'Bake time?', (9, 1))
sp.catch('timerEvent_bake', 'Let the batch bake', (10, 1), timer('timerEvent_bake', 'timeDuration', '${bakeTime}'))
sp.task('userTask', 'userTask_approveNextBatch', 'Approve the next batch', (6, 2),
        {'camunda:candidateGroups': 'stratos-operators'})
sp.service('serviceTask_recordApproval', 'Record the approval', (7, 2), 'recordApprovalDelegate')
sp.gateway('eventBasedGateway_paused', 'Paused: wait for', (6, 3), kind='eventBasedGateway')
sp.catch('messageEvent_resumed', 'Update resumed', (7, 3), message_def('message_updateResumed'))
sp.catch('messageEvent_aborted', 'Update aborted', (7, 4), message_def('message_updateAborted'))
sp.catch('timerEvent_lookAgain', 'Look again in 30 s', (7, 5), timer('timerEvent_lookAgain', 'timeDuration', 'PT30S'))
sp.end('endEvent_allBatchesDone', 'All batches done', (6, 0))
sp.end('endEvent_rollOutStopped', 'Roll-out stopped', (9, 2))
p.boundary('boundaryEvent_compensateRollOut', None, sp, compensate_def(catching=True), pos=0.25)
p.task('callActivity', 'callActivity_rollBackChangedMembers', 'Roll back changed members, last batch first', (5, 7),
       {'calledElement': 'clusterRollback', 'camunda:calledElementBinding': 'latest', 'isForCompensation': 'true'},
       call_body(ins=('updateId', 'clusterId'), business_key='#{execution.processBusinessKey}'))
p.association('boundaryEvent_compensateRollOut', 'callActivity_rollBackChangedMembers')

p.service('serviceTask_concludeCluster', 'Conclude the cluster', (12, 1), 'concludeClusterDelegate')
p.gateway('exclusiveGateway_outcome', 'Outcome?', (13, 1))
p.end('endEvent_clusterUpdated', 'Cluster updated', (14, 1))
p.throw('throwEvent_rollBack', 'Roll back changed members', (14, 2), compensate_def())
p.service('serviceTask_recordRollback', 'Record the rollback', (15, 2), 'recordClusterRollbackDelegate')
p.end('endEvent_clusterRolledBack', 'Cluster rolled back', (16, 2))
p.end('endEvent_clusterNotUpdated', 'Cluster not updated', (14, 3))

f = p.flow
f('startEvent_clusterUpdateStarted', 'serviceTask_planBatches')
f('serviceTask_planBatches', 'subProcess_rollOutBatches')
s = sp.flow
s('startEvent_rollOutStarted', 'exclusiveGateway_nextStep')
s('exclusiveGateway_nextStep', 'serviceTask_decideNextStep')
s('serviceTask_decideNextStep', 'exclusiveGateway_whatNext')
s('exclusiveGateway_whatNext', 'callActivity_updateBatch', 'next batch', "${nextStep == 'batch'}")
s('exclusiveGateway_whatNext', 'endEvent_allBatchesDone', 'all done', "${nextStep == 'done'}")
s('exclusiveGateway_whatNext', 'userTask_approveNextBatch', 'approval', "${nextStep == 'approve'}")
s('exclusiveGateway_whatNext', 'eventBasedGateway_paused', 'paused', "${nextStep == 'pause'}")
wn = p.by_id['exclusiveGateway_whatNext']; st = p.by_id['endEvent_rollOutStopped']
s('exclusiveGateway_whatNext', 'endEvent_rollOutStopped', 'stop', "${nextStep == 'stop'}",
  via=[(wn.cx() + 12, wn.y + wn.h + 40), (st.cx(), wn.y + wn.h + 40)])
s('callActivity_updateBatch', 'serviceTask_assessBatch')
s('serviceTask_assessBatch', 'exclusiveGateway_budgetExceeded')
s('exclusiveGateway_budgetExceeded', 'endEvent_budgetExceeded', 'yes', '${budgetExceeded}')
s('exclusiveGateway_budgetExceeded', 'exclusiveGateway_bake', 'no', '${!budgetExceeded}')
s('exclusiveGateway_bake', 'timerEvent_bake', 'yes', '${bakeTime != "PT0S"}')
ng = p.by_id['exclusiveGateway_nextStep']; bk = p.by_id['exclusiveGateway_bake']; tb = p.by_id['timerEvent_bake']
s('exclusiveGateway_bake', 'exclusiveGateway_nextStep', 'no', '${bakeTime == "PT0S"}',
  via=[(bk.cx(), bk.y - 25), (ng.cx(), bk.y - 25)])
s('timerEvent_bake', 'exclusiveGateway_nextStep', via=[(tb.cx(), tb.y - 45), (ng.cx() - 10, tb.y - 45)])
s('userTask_approveNextBatch', 'serviceTask_recordApproval')
s('serviceTask_recordApproval', 'exclusiveGateway_nextStep')
s('eventBasedGateway_paused', 'messageEvent_resumed')
s('eventBasedGateway_paused', 'messageEvent_aborted')
s('eventBasedGateway_paused', 'timerEvent_lookAgain')
for c, dx in (('messageEvent_resumed', 8), ('messageEvent_aborted', 4), ('timerEvent_lookAgain', 0)):
    ev = p.by_id[c]
    s(c, 'exclusiveGateway_nextStep', via=[(ev.x + ev.w + 25, ev.cy()), (ev.x + ev.w + 25, ev.y + ev.h + 15 - dx),
                                         (ng.cx() + dx - 10, ev.y + ev.h + 15 - dx)])
f('subProcess_rollOutBatches', 'serviceTask_concludeCluster')
f('serviceTask_concludeCluster', 'exclusiveGateway_outcome')
f('exclusiveGateway_outcome', 'endEvent_clusterUpdated', 'updated', "${clusterOutcome == 'UPDATED'}")
f('exclusiveGateway_outcome', 'throwEvent_rollBack', 'roll back', "${clusterOutcome == 'ROLLING_BACK'}")
f('throwEvent_rollBack', 'serviceTask_recordRollback')
f('serviceTask_recordRollback', 'endEvent_clusterRolledBack')
f('exclusiveGateway_outcome', 'endEvent_clusterNotUpdated', 'failed or aborted',
  "${clusterOutcome == 'FAILED' || clusterOutcome == 'ABORTED'}")
open('../../processes/phased-cluster-update.bpmn', 'w').write(p.xml())
print('ok')

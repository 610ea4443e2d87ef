from bpmnlayout import *

p = Process('clusterRollback', 'Cluster rollback', doc=(
    'Compensation handler of the cluster flows: every member the update changed in this cluster goes back to the '
    'previous version, last batch first, the members of a batch in parallel (so a rollback never has more members '
    'out of service than the update had). Each batch goes through the batch update flow with rollback = true.'))

p.start('startEvent_rollbackRequested', 'Rollback requested', (0, 1))
p.service('serviceTask_planRollback', 'Plan the rollback, last batch first', (1, 1), 'planRollbackDelegate',
          async_before=True, retry=RETRY)
sp = p.subprocess('subProcess_rollBackBatch', 'Roll back one batch', (2, 0), 4, 3,
                  body='<bpmn:multiInstanceLoopCharacteristics isSequential="true" camunda:collection="${rollbackBatches}" camunda:elementVariable="rollbackBatch" />')
sp.start('startEvent_batchRollbackStarted', 'Batch to roll back', (2, 1))
sp.service('serviceTask_selectRollbackMembers', "Select the batch's changed members", (3, 1),
           'selectRollbackMembersDelegate')
sp.task('callActivity', 'callActivity_rollBackMembers', 'Roll back the members', (4, 1),
        {'calledElement': 'batchUpdate', 'camunda:calledElementBinding': 'latest', 'camunda:asyncAfter': 'true'},
        call_body(ins=('updateId', 'clusterId', 'rollback', 'batchMembers', 'applyMode'),
                  business_key='#{execution.processBusinessKey}', retry=RETRY))
sp.end('endEvent_batchRolledBack', 'Batch rolled back', (5, 1))
p.service('serviceTask_recordRollback', 'Record the rollback', (6, 1), 'recordClusterRollbackDelegate')
p.end('endEvent_rolledBack', 'Rolled back', (7, 1))

f = p.flow
f('startEvent_rollbackRequested', 'serviceTask_planRollback')
f('serviceTask_planRollback', 'subProcess_rollBackBatch')
sp.flow('startEvent_batchRollbackStarted', 'serviceTask_selectRollbackMembers')
sp.flow('serviceTask_selectRollbackMembers', 'callActivity_rollBackMembers')
sp.flow('callActivity_rollBackMembers', 'endEvent_batchRolledBack')
f('subProcess_rollBackBatch', 'serviceTask_recordRollback')
f('serviceTask_recordRollback', 'endEvent_rolledBack')
open('../../processes/cluster-rollback.bpmn', 'w').write(p.xml())
print('ok')

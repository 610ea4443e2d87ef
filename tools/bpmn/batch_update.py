from bpmnlayout import *

p = Process('batchUpdate', 'Batch update', doc=(
    'Updates one batch of a cluster (or rolls it back: variable rollback = true). Members on VMs are updated by '
    'their agents, the whole batch together: marked Updating, sent their commands, and the flow waits once for every '
    "agent's report (looking again every resendInterval: resending to silent agents, giving up on them after the "
    "update's time limit), then records each member's outcome: Active on the new version, or out of service. "
    'Container members are replaced one memberUpdate flow each, in parallel. A failed member does not fail the '
    'batch: the calling cluster flow counts failures against maxFailures.'))
p.message('message_agentsReported', 'batchUpdate.agentsReported')

p.start('startEvent_batchToUpdate', 'Batch to update', (0, 1))
p.gateway('exclusiveGateway_howApplied', 'How is the software applied?', (1, 1))

# agents (VMs): one step for the whole batch at each stage
# async: the batch's members are marked in a job of the batch's own; a failure is retried for the batch
p.service('serviceTask_markMembersUpdating', "Mark the batch's members Updating", (2, 1), 'markBatchUpdatingDelegate',
          async_before=True, retry=RETRY)
# async: the commands are sent in the transaction that also puts the flow into the wait below; they leave the broker
# only after that commit, so no report can arrive before the flow waits for it
p.service('serviceTask_sendUpdateCommands', 'Send the update commands to the agents', (3, 1),
          'sendBatchCommandsDelegate', async_before=True, retry=RETRY)
p.gateway('exclusiveGateway_waitAgain', None, (4, 1))
wait = p.task('receiveTask', 'receiveTask_waitForAgentReports', 'Wait until every agent has reported', (5, 1),
              {'messageRef': 'message_agentsReported'})
# the timer's job runs the step after it: it retries like the async steps
p.boundary('boundaryEvent_lookAgain', 'Not all reported yet: look again', wait,
           ext_wrap('<camunda:failedJobRetryTimeCycle>%s</camunda:failedJobRetryTimeCycle>' % RETRY)
           + timer('boundaryEvent_lookAgain', 'timeDuration', '${resendInterval}'), pos=0.5)
p.service('serviceTask_chaseAgents', 'Resend to the agents that have not reported', (5, 2), 'chaseAgentsDelegate',
          retry=RETRY)
p.gateway('exclusiveGateway_everyReportIn', 'Every report in, or time up?', (6, 2))
p.gateway('exclusiveGateway_reportsIn', None, (6, 1))
# async: the listener that delivered the last report commits at once; recording the outcomes runs in a job
p.service('serviceTask_recordOutcomes', "Record each member's outcome", (7, 1), 'completeAgentBatchDelegate', async_before=True, retry=RETRY)

# containers: one member flow each
p.task('callActivity', 'callActivity_replaceMembers', "Replace each member's container", (5, 3),
       {'calledElement': 'memberUpdate', 'camunda:calledElementBinding': 'latest'},
       call_body(ins=('updateId', 'clusterId', 'memberId', 'rollback'), mi=('${batchMembers}', 'memberId'),
                 business_key="${updateId}/${memberId}${rollback ? '/rollback' : ''}", mi_async_after=True))

p.gateway('exclusiveGateway_batchDone', None, (8, 1))
p.end('endEvent_batchDone', 'Batch done', (9, 1))

f = p.flow
pg = p.by_id['exclusiveGateway_howApplied']
f('startEvent_batchToUpdate', 'exclusiveGateway_howApplied')
f('exclusiveGateway_howApplied', 'serviceTask_markMembersUpdating', 'agents on the VMs', "${applyMode == 'agent'}")
f('exclusiveGateway_howApplied', 'callActivity_replaceMembers', 'replace the containers', "${applyMode == 'replace'}")
f('serviceTask_markMembersUpdating', 'serviceTask_sendUpdateCommands')
f('serviceTask_sendUpdateCommands', 'exclusiveGateway_waitAgain')
f('exclusiveGateway_waitAgain', 'receiveTask_waitForAgentReports')
f('receiveTask_waitForAgentReports', 'exclusiveGateway_reportsIn')
f('boundaryEvent_lookAgain', 'serviceTask_chaseAgents')
f('serviceTask_chaseAgents', 'exclusiveGateway_everyReportIn')
ge = p.by_id['exclusiveGateway_everyReportIn']; gw = p.by_id['exclusiveGateway_waitAgain']
low = ge.y + ge.h + 40
f('exclusiveGateway_everyReportIn', 'exclusiveGateway_waitAgain', 'no: wait again', "${batchWait == 'waiting'}",
  via=[(ge.cx(), low), (gw.cx(), low)])
f('exclusiveGateway_everyReportIn', 'exclusiveGateway_reportsIn', 'yes', "${batchWait != 'waiting'}",
  via=[(ge.cx(), ge.y - 40)])
f('exclusiveGateway_reportsIn', 'serviceTask_recordOutcomes')
f('serviceTask_recordOutcomes', 'exclusiveGateway_batchDone')
gd = p.by_id['exclusiveGateway_batchDone']; ca = p.by_id['callActivity_replaceMembers']
f('callActivity_replaceMembers', 'exclusiveGateway_batchDone', via=[(gd.cx(), ca.cy())])
f('exclusiveGateway_batchDone', 'endEvent_batchDone')

open('../../processes/batch-update.bpmn', 'w').write(p.xml())
print('ok')

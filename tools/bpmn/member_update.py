from bpmnlayout import *

p = Process('memberUpdate', 'Member update', doc=(
    'Brings one member to the target version: marked Updating, the software applied (the agent runs Puppet, or the '
    'container is replaced by one on the new image), its health verified, then Active on the new version. Agent '
    'failures, time-outs and health failures take the failure path: the member is taken out of service and the '
    'member update ends failed (the cluster flow counts it against maxFailures). Used for rollbacks too '
    '(variable rollback = true: the target is the previous version).'))
p.message('message_agentReported', 'memberUpdate.agentReported')
p.message('message_replacementReady', 'memberUpdate.replacementReady')
p.message('message_replacementFailed', 'memberUpdate.replacementFailed')
p.error('error_agentReportedFailure', 'Agent reported a failure', 'agentReportedFailure')
p.error('error_memberUnhealthy', 'Member unhealthy', 'memberUnhealthy')

p.start('startEvent_memberUpdateRequested', 'Member update requested', (0, 1))
# async: every member of a batch starts in a job of its own, so members are updated in parallel and a failure
# to mark one member is retried for that member alone
p.service('serviceTask_markMemberUpdating', 'Mark member Updating', (1, 1), 'markMemberUpdatingDelegate',
          async_before=True, retry=RETRY)
p.gateway('exclusiveGateway_howApplied', 'How is the software applied?', (2, 1))

# agent path (VMs)
# async: the command is sent in the transaction that also puts the process into the wait below; it leaves the
# broker only after that commit, so the agent's reply cannot arrive before the process waits for it
p.service('serviceTask_sendUpdateCommand', 'Send update command to the agent', (3, 1), 'sendUpdateCommandDelegate',
          async_before=True, retry=RETRY)
wait = p.task('receiveTask', 'receiveTask_waitForAgentReport', "Wait for the agent's report", (4, 1),
              {'messageRef': 'message_agentReported'})
# the timers' jobs run the steps after them (resend, verify): they retry like the async steps
p.boundary('boundaryEvent_resendCommand', 'Still no report: resend', wait,
           ext_wrap('<camunda:failedJobRetryTimeCycle>%s</camunda:failedJobRetryTimeCycle>' % RETRY)
           + timer('boundaryEvent_resendCommand', 'timeCycle', '${resendCycle}'), cancel=False, side='top', pos=0.5)
p.service('serviceTask_resendUpdateCommand', 'Resend update command', (5, 0), 'sendUpdateCommandDelegate', retry=RETRY)
p.end('endEvent_commandResent', 'Command resent', (6, 0))
p.boundary('boundaryEvent_noAgentReport', 'No report in time', wait,
           ext_wrap(listener('end', "${execution.setVariable('failureCause', 'noAgentReport')}"))
           + timer('boundaryEvent_noAgentReport', 'timeDuration', '${applyTimeout}'), pos=0.5)
# async: the listener that correlated the report commits at once; checking it (and everything after) runs in a job
check = p.service('serviceTask_checkAgentReport', "Check the agent's report and health", (5, 1),
                  'checkAgentReportDelegate', async_before=True, retry=RETRY)
p.boundary('boundaryEvent_agentReportedFailure', 'Agent reported failure', check,
           ext_wrap(listener('end', "${execution.setVariable('failureCause', 'agentReportedFailure')}"))
           + error_def('error_agentReportedFailure', 'failureReason'), pos=0.5)

# replacement path (containers)
p.gateway('exclusiveGateway_surge', 'Surge?', (6, 2))
p.service('serviceTask_retireOldMemberFirst', 'Remove the old member first', (7, 3), 'retireOldMemberDelegate',
          async_before=True, retry=RETRY)
p.gateway('exclusiveGateway_replacementCanStart', None, (8, 2))
p.service('serviceTask_startReplacement', 'Start a replacement on the new image', (9, 2), 'startReplacementDelegate',
          async_before=True, retry=RETRY)
ready = p.task('receiveTask', 'receiveTask_waitForReplacementReady', 'Wait until the replacement is ready', (10, 2),
               {'messageRef': 'message_replacementReady'})
p.boundary('boundaryEvent_replacementNotReady', 'Not ready in time', ready,
           ext_wrap(listener('end', "${execution.setVariable('failureCause', 'replacementNotReady')}"))
           + timer('boundaryEvent_replacementNotReady', 'timeDuration', '${healthTimeout}'), pos=0.3)
p.boundary('boundaryEvent_replacementFailed', 'Replacement failed', ready,
           ext_wrap(listener('end', "${execution.setVariable('failureCause', 'replacementFailed')}"))
           + message_def('message_replacementFailed'), pos=0.7)
p.catch('timerEvent_stayHealthy', 'Stay ready for minHealthyTime', (11, 2),
        ext_wrap('<camunda:failedJobRetryTimeCycle>%s</camunda:failedJobRetryTimeCycle>' % RETRY)
        + timer('timerEvent_stayHealthy', 'timeDuration', '${minHealthyTime}'))
verify = p.service('serviceTask_verifyReplacementHealth', "Verify the replacement's health", (12, 2),
                   'verifyReplacementHealthDelegate', retry=RETRY)
p.boundary('boundaryEvent_replacementUnhealthy', 'Unhealthy', verify,
           ext_wrap(listener('end', "${execution.setVariable('failureCause', 'replacementUnhealthy')}"))
           + error_def('error_memberUnhealthy', 'failureReason'), pos=0.5)
p.gateway('exclusiveGateway_oldMemberRunning', 'Old member still running?', (13, 2))
p.service('serviceTask_retireOldMember', 'Remove the old member', (14, 3), 'retireOldMemberDelegate',
          async_before=True, retry=RETRY)
p.gateway('exclusiveGateway_replaced', None, (15, 2))

p.gateway('exclusiveGateway_applied', None, (16, 1))
p.service('serviceTask_markMemberUpdated', 'Mark member Active on the new version', (17, 1),
          'markMemberUpdatedDelegate')
p.end('endEvent_memberUpdated', 'Member updated', (18, 1))

p.gateway('exclusiveGateway_failed', None, (14, 4))
p.service('serviceTask_markMemberFailed', 'Take the member out of service', (15, 4), 'markMemberFailedDelegate',
          async_before=True, retry=RETRY)
p.end('endEvent_memberFailed', 'Member failed', (16, 4))

f = p.flow
f('startEvent_memberUpdateRequested', 'serviceTask_markMemberUpdating')
f('serviceTask_markMemberUpdating', 'exclusiveGateway_howApplied')
f('exclusiveGateway_howApplied', 'serviceTask_sendUpdateCommand', 'agent on the VM', "${applyMode == 'agent'}")
f('exclusiveGateway_howApplied', 'exclusiveGateway_surge', 'replace the container', "${applyMode == 'replace'}")
f('serviceTask_sendUpdateCommand', 'receiveTask_waitForAgentReport')
f('receiveTask_waitForAgentReport', 'serviceTask_checkAgentReport')
f('boundaryEvent_resendCommand', 'serviceTask_resendUpdateCommand')
f('serviceTask_resendUpdateCommand', 'endEvent_commandResent')
f('serviceTask_checkAgentReport', 'exclusiveGateway_applied')
f('exclusiveGateway_surge', 'serviceTask_retireOldMemberFirst', 'no: old one goes first', '${!surge}')
f('exclusiveGateway_surge', 'exclusiveGateway_replacementCanStart', 'yes', '${surge}')
f('serviceTask_retireOldMemberFirst', 'exclusiveGateway_replacementCanStart')
f('exclusiveGateway_replacementCanStart', 'serviceTask_startReplacement')
f('serviceTask_startReplacement', 'receiveTask_waitForReplacementReady')
f('receiveTask_waitForReplacementReady', 'timerEvent_stayHealthy')
f('timerEvent_stayHealthy', 'serviceTask_verifyReplacementHealth')
f('serviceTask_verifyReplacementHealth', 'exclusiveGateway_oldMemberRunning')
f('exclusiveGateway_oldMemberRunning', 'serviceTask_retireOldMember', 'yes (surge)', '${surge}')
f('exclusiveGateway_oldMemberRunning', 'exclusiveGateway_replaced', 'no', '${!surge}')
f('serviceTask_retireOldMember', 'exclusiveGateway_replaced')
pr = p.by_id['exclusiveGateway_replaced']; pa = p.by_id['exclusiveGateway_applied']
f('exclusiveGateway_replaced', 'exclusiveGateway_applied', via=[(pa.cx(), pr.cy())])
f('exclusiveGateway_applied', 'serviceTask_markMemberUpdated')
f('serviceTask_markMemberUpdated', 'endEvent_memberUpdated')
for b in ['boundaryEvent_noAgentReport', 'boundaryEvent_agentReportedFailure', 'boundaryEvent_replacementNotReady',
          'boundaryEvent_replacementFailed', 'boundaryEvent_replacementUnhealthy']:
    f(b, 'exclusiveGateway_failed')
f('exclusiveGateway_failed', 'serviceTask_markMemberFailed')
f('serviceTask_markMemberFailed', 'endEvent_memberFailed')

open('../../processes/member-update.bpmn', 'w').write(p.xml())
print('ok')

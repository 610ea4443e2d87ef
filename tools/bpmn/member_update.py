from bpmnlayout import *

p = Process('memberUpdate', 'Member update (container)', doc=(
    'Replaces one container member by one on the target image: marked Updating, the replacement started (before or '
    'after the old member is removed: surge), its readiness awaited and its health verified for minHealthyTime, then '
    'Active on the new version. A replacement that is not ready in time, fails to start or turns unhealthy takes the '
    'failure path: it is removed, the member update ends failed (the cluster flow counts it against maxFailures). '
    'Called by batchUpdate for each member of a container batch; used for rollbacks too (variable rollback = true: '
    'the target is the previous image). Members on VMs are updated a batch at a time by batchUpdate itself.'))
p.message('message_replacementReady', 'memberUpdate.replacementReady')
p.message('message_replacementFailed', 'memberUpdate.replacementFailed')
p.error('error_memberUnhealthy', 'Member unhealthy', 'memberUnhealthy')

p.start('startEvent_memberUpdateRequested', 'Member update requested', (0, 2))
# async: every member of a batch starts in a job of its own, so members are updated in parallel and a failure
# to mark one member is retried for that member alone
p.service('serviceTask_markMemberUpdating', 'Mark member Updating', (1, 2), 'markMemberUpdatingDelegate',
          async_before=True, retry=RETRY)

p.gateway('exclusiveGateway_surge', 'Surge?', (2, 2))
p.service('serviceTask_retireOldMemberFirst', 'Remove the old member first', (3, 3), 'retireOldMemberDelegate',
          async_before=True, retry=RETRY)
p.gateway('exclusiveGateway_replacementCanStart', None, (4, 2))
p.service('serviceTask_startReplacement', 'Start a replacement on the new image', (5, 2), 'startReplacementDelegate',
          async_before=True, retry=RETRY)
ready = p.task('receiveTask', 'receiveTask_waitForReplacementReady', 'Wait until the replacement is ready', (6, 2),
               {'messageRef': 'message_replacementReady'})
p.boundary('boundaryEvent_replacementNotReady', 'Not ready in time', ready,
           ext_wrap(listener('end', "${execution.setVariable('failureCause', 'replacementNotReady')}"))
           + timer('boundaryEvent_replacementNotReady', 'timeDuration', '${healthTimeout}'), pos=0.3)
p.boundary('boundaryEvent_replacementFailed', 'Replacement failed', ready,
           ext_wrap(listener('end', "${execution.setVariable('failureCause', 'replacementFailed')}"))
           + message_def('message_replacementFailed'), pos=0.7)
p.catch('timerEvent_stayHealthy', 'Stay ready for minHealthyTime', (7, 2),
        ext_wrap('<camunda:failedJobRetryTimeCycle>%s</camunda:failedJobRetryTimeCycle>' % RETRY)
        + timer('timerEvent_stayHealthy', 'timeDuration', '${minHealthyTime}'))
verify = p.service('serviceTask_verifyReplacementHealth', "Verify the replacement's health", (8, 2),
                   'verifyReplacementHealthDelegate', retry=RETRY)
p.boundary('boundaryEvent_replacementUnhealthy', 'Unhealthy', verify,
           ext_wrap(listener('end', "${execution.setVariable('failureCause', 'replacementUnhealthy')}"))
           + error_def('error_memberUnhealthy', 'failureReason'), pos=0.5)
p.gateway('exclusiveGateway_oldMemberRunning', 'Old member still running?', (9, 2))
p.service('serviceTask_retireOldMember', 'Remove the old member', (10, 3), 'retireOldMemberDelegate',
          async_before=True, retry=RETRY)
p.gateway('exclusiveGateway_replaced', None, (11, 2))
p.service('serviceTask_markMemberUpdated', 'Mark member Active on the new version', (12, 2),
          'markMemberUpdatedDelegate')
p.end('endEvent_memberUpdated', 'Member updated', (13, 2))

p.gateway('exclusiveGateway_failed', None, (10, 4))
p.service('serviceTask_markMemberFailed', 'Take the member out of service', (11, 4), 'markMemberFailedDelegate',
          async_before=True, retry=RETRY)
p.end('endEvent_memberFailed', 'Member failed', (12, 4))

f = p.flow
f('startEvent_memberUpdateRequested', 'serviceTask_markMemberUpdating')
f('serviceTask_markMemberUpdating', 'exclusiveGateway_surge')
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
f('exclusiveGateway_replaced', 'serviceTask_markMemberUpdated')
f('serviceTask_markMemberUpdated', 'endEvent_memberUpdated')
for b in ['boundaryEvent_replacementNotReady', 'boundaryEvent_replacementFailed', 'boundaryEvent_replacementUnhealthy']:
    f(b, 'exclusiveGateway_failed')
f('exclusiveGateway_failed', 'serviceTask_markMemberFailed')
f('serviceTask_markMemberFailed', 'endEvent_memberFailed')

open('../../processes/member-update.bpmn', 'w').write(p.xml())
print('ok')

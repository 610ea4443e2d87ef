from bpmnlayout import *

p = Process('softwareUpdate', 'Software update', doc=(
    'One update of an application (business key = update id). The update is checked and recorded and its clusters '
    'are held, then the clusters are updated one after another in the application\'s startup order, each by the '
    'phased flow (compatible) or the all-at-once flow (incompatible). When a cluster ends rolled back, compensation '
    'rolls back the clusters updated before it, last first. Start it from the API or from /engine-rest with the '
    'request fields as variables (applicationId, clusters, version/imageId, compatible, ...). If the process is '
    'cancelled (Cockpit), its end listener releases the clusters and takes members still Updating out of service.'),
    listeners='<camunda:executionListener event="end" delegateExpression="${updateEndedListener}" />')
p.error('error_updateRejected', 'Update rejected', 'updateRejected')

p.start('startEvent_updateRequested', 'Update requested', (0, 1))
prep = p.service('serviceTask_prepareUpdate', 'Check and record the update, hold its clusters', (1, 1),
                 'prepareUpdateDelegate')
p.boundary('boundaryEvent_updateRejected', 'Rejected', prep, error_def('error_updateRejected', 'rejectionReason'))
p.end('endEvent_updateRejected', 'Update rejected', (2, 3))
sp = p.subprocess('subProcess_updateClusters', 'Update clusters in startup order', (2, 0), 5, 3)
sp.start('startEvent_clustersStarted', 'Clusters to update', (2, 1))
sp.gateway('exclusiveGateway_nextCluster', None, (3, 1))
# async: each cluster is taken in a job of its own, so a pause or an abort between clusters is seen
sp.service('serviceTask_takeNextCluster', 'Take the next cluster', (4, 1), 'takeNextClusterDelegate',
           async_before=True, retry=RETRY)
sp.gateway('exclusiveGateway_clusterLeft', 'Cluster left?', (5, 1))
sp.task('callActivity', 'callActivity_updateCluster', 'Update the cluster', (6, 2),
        {'calledElement': '${clusterFlow}', 'camunda:calledElementBinding': 'latest'},
        call_body(ins=('updateId', 'clusterId'), outs=('clusterOutcome',),
                  business_key='#{execution.processBusinessKey}'))
sp.end('endEvent_clustersDone', 'No cluster left', (6, 1))
p.boundary('boundaryEvent_compensateClusters', None, sp, compensate_def(catching=True), pos=0.5)
# the compensation handler is a subprocess around the multi-instance call: the engine starts a compensation handler
# by its own id, so a multi-instance handler would run once, outside its loop (no clusterId, no order)
rb = p.subprocess('subProcess_rollBackUpdatedClusters', 'Roll back the clusters updated before, last first',
                  (5, 4), 3, 1, attrs={'isForCompensation': 'true'})
rb.start('startEvent_rollBackClustersStarted', 'Clusters to roll back', (5, 4))
rb.task('callActivity', 'callActivity_rollBackUpdatedClusters', 'Roll back a cluster', (6, 4),
        {'calledElement': 'clusterRollback', 'camunda:calledElementBinding': 'latest'},
        call_body(ins=('updateId', 'clusterId'), business_key='#{execution.processBusinessKey}',
                  mi=('${clustersToRollBack}', 'clusterId'), mi_sequential=True))
rb.end('endEvent_clustersRolledBack', 'Clusters rolled back', (7, 4))
rb.flow('startEvent_rollBackClustersStarted', 'callActivity_rollBackUpdatedClusters')
rb.flow('callActivity_rollBackUpdatedClusters', 'endEvent_clustersRolledBack')
p.association('boundaryEvent_compensateClusters', 'subProcess_rollBackUpdatedClusters')

p.gateway('exclusiveGateway_updateOutcome', 'Update outcome?', (8, 1))
p.service('serviceTask_recordCompleted', 'Record the update completed', (9, 1), 'finishUpdateDelegate')
p.end('endEvent_updateCompleted', 'Update completed', (10, 1))
p.throw('throwEvent_rollBackClusters', 'Roll back the clusters updated before', (9, 2), compensate_def())
p.service('serviceTask_recordRolledBack', 'Record the update rolled back', (10, 2), 'finishUpdateDelegate')
p.end('endEvent_updateRolledBack', 'Update rolled back', (11, 2))
p.service('serviceTask_recordUnfinished', 'Record the update failed or aborted', (9, 3), 'finishUpdateDelegate')
p.end('endEvent_updateUnfinished', 'Update failed or aborted', (10, 3))

f = p.flow
f('startEvent_updateRequested', 'serviceTask_prepareUpdate')
f('boundaryEvent_updateRejected', 'endEvent_updateRejected')
f('serviceTask_prepareUpdate', 'subProcess_updateClusters')
s = sp.flow
s('startEvent_clustersStarted', 'exclusiveGateway_nextCluster')
s('exclusiveGateway_nextCluster', 'serviceTask_takeNextCluster')
s('serviceTask_takeNextCluster', 'exclusiveGateway_clusterLeft')
s('exclusiveGateway_clusterLeft', 'endEvent_clustersDone', 'no', '${clusterId == null}')
s('exclusiveGateway_clusterLeft', 'callActivity_updateCluster', 'yes', '${clusterId != null}')
s('callActivity_updateCluster', 'exclusiveGateway_nextCluster')
f('subProcess_updateClusters', 'exclusiveGateway_updateOutcome')
f('exclusiveGateway_updateOutcome', 'serviceTask_recordCompleted', 'completed', "${updateOutcome == 'COMPLETED'}")
f('serviceTask_recordCompleted', 'endEvent_updateCompleted')
f('exclusiveGateway_updateOutcome', 'throwEvent_rollBackClusters', 'roll back earlier clusters',
  "${updateOutcome == 'ROLLING_BACK'}")
f('throwEvent_rollBackClusters', 'serviceTask_recordRolledBack')
f('serviceTask_recordRolledBack', 'endEvent_updateRolledBack')
f('exclusiveGateway_updateOutcome', 'serviceTask_recordUnfinished', 'failed, aborted or rolled back',
  "${updateOutcome != 'COMPLETED' && updateOutcome != 'ROLLING_BACK'}")
f('serviceTask_recordUnfinished', 'endEvent_updateUnfinished')
open('../../processes/software-update.bpmn', 'w').write(p.xml())
print('ok')
